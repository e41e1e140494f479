using System.Security.Claims;
using Ledger.Api.Security;

namespace Ledger.Api.Http;

/// <summary>Marks a read whose cost grows with the ledger (checks, lists, statements, exports): at most a few at once per caller.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ExpensiveReadAttribute : Attribute;

/// <summary>
/// How many expensive reads one caller (a key, or an address without one) may have running at once
/// (<c>Ledger:Reads:MaxConcurrentPerCaller</c>, default 4). The per-minute rate limit does not bound this: forty slow
/// requests sent together fit in any sensible minute and can still starve every other caller. One over the bound is
/// answered at once with 429 and Retry-After, not queued.
/// </summary>
public sealed class ExpensiveReadSlots(int maxPerCaller, TimeSpan timeout)
{
    private readonly Dictionary<string, int> _running = new(StringComparer.Ordinal);

    public int MaxPerCaller { get; } = maxPerCaller;

    /// <summary>
    /// How long one expensive read may take to produce its answer (<c>Ledger:Reads:TimeoutSeconds</c>, default 30): then
    /// its queries are cancelled and it answers 503, so that a read too large for the machine gives its slot, connection
    /// and memory back. An answer produced in time is sent whole; its sending is bounded by the server's minimum data rate.
    /// </summary>
    public TimeSpan Timeout { get; } = timeout;

    public static ExpensiveReadSlots From(IConfiguration configuration)
    {
        var max = configuration.GetValue<int?>("Ledger:Reads:MaxConcurrentPerCaller") ?? 4;
        if (max < 1) throw new InvalidOperationException("Ledger:Reads:MaxConcurrentPerCaller must be at least 1.");
        var seconds = configuration.GetValue<double?>("Ledger:Reads:TimeoutSeconds") ?? 30;
        if (seconds is <= 0 or > 3600) throw new InvalidOperationException("Ledger:Reads:TimeoutSeconds must be more than 0 and at most 3600.");
        return new ExpensiveReadSlots(max, TimeSpan.FromSeconds(seconds));
    }

    /// <summary>A slot for <paramref name="caller"/> to release by disposing it, or null when the caller has none left.</summary>
    public IDisposable? TryEnter(string caller)
    {
        lock (_running)
        {
            _running.TryGetValue(caller, out var n);
            if (n >= MaxPerCaller) return null;
            _running[caller] = n + 1;
        }
        return new Slot(this, caller);
    }

    private void Release(string caller)
    {
        lock (_running)
        {
            // Entries go when idle, so that many callers over time do not grow the table.
            if (_running[caller] <= 1) _running.Remove(caller);
            else _running[caller]--;
        }
    }

    private sealed class Slot(ExpensiveReadSlots slots, string caller) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release(caller);
        }
    }
}

public static class ExpensiveReadMiddleware
{
    /// <summary>After routing and authentication: endpoints marked <see cref="ExpensiveReadAttribute"/> take a slot of their caller.</summary>
    public static void UseExpensiveReadSlots(this WebApplication app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<ExpensiveReadAttribute>() is null)
        {
            await next(http);
            return;
        }
        var callerName = http.User.Identity?.IsAuthenticated == true
            ? "key:" + http.User.FindFirstValue(ClaimTypes.Name)
            : "address:" + SecuritySetup.AddressBlock(http.Connection.RemoteIpAddress);
        var slots = http.RequestServices.GetRequiredService<ExpensiveReadSlots>();
        using var slot = slots.TryEnter(callerName);
        if (slot is null)
        {
            await Problems.WithRetryAfter(Problems.Result(Problems.Of(StatusCodes.Status429TooManyRequests, "Too many expensive reads at once",
                "This key (or address, without a key) already has as many checks, lists, statements or exports running as it may; retry when one has answered.")
                with { RetryAfterSeconds = 1 }), 1).ExecuteAsync(http);
            return;
        }
        var aborted = http.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(slots.Timeout);
        // Endpoints read their CancellationToken from RequestAborted: the deadline cancels their queries.
        http.RequestAborted = deadline.Token;
        try
        {
            await next(http);
        }
        catch (Exception e) when (deadline.IsCancellationRequested && !aborted.IsCancellationRequested && !http.Response.HasStarted && Cancelled(e))
        {
            if (e is not OperationCanceledException)
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Ledger.Reads")
                    .LogWarning(e, "An expensive read was cancelled by its deadline of {Seconds} s through another exception than OperationCanceledException.", slots.Timeout.TotalSeconds);
            http.Response.Clear();
            await Problems.Result(Problems.Of(StatusCodes.Status503ServiceUnavailable, "The read took too long",
                FormattableString.Invariant($"It was stopped after {slots.Timeout.TotalSeconds:0.######} s (Ledger:Reads:TimeoutSeconds); ask for less at once (one entity, one period, a smaller limit)."))
                with { TimeoutSeconds = slots.Timeout.TotalSeconds }).ExecuteAsync(http);
        }
        finally
        {
            http.RequestAborted = aborted;
        }
    });

    /// <summary>
    /// A cancelled query surfaces as OperationCanceledException, but a cancel landing mid-protocol may come wrapped (a
    /// transient NpgsqlException around it, which would read as "database unavailable": probably what a CI run once
    /// answered to a deadline of a microsecond) or as the server's own "canceling statement" (57014). Anything else (a
    /// bug, the database really gone) is not the deadline's.
    /// </summary>
    private static bool Cancelled(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is OperationCanceledException or Npgsql.PostgresException { SqlState: "57014" }) return true;
            if (e is AggregateException a) return a.InnerExceptions.Any(Cancelled);
        }
        return false;
    }
}
