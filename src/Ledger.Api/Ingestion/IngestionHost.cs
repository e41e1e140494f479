using Ledger.Domain.Events;
using Wolverine;
using Wolverine.Marten;

namespace Ledger.Api.Ingestion;

/// <summary>
/// The service's bus and ingestion handler in a host of their own, without HTTP: packages go through Wolverine's
/// <c>InvokeAsync</c>, its sessions and transactions, exactly as POST /api/disclosures sends them. For the <c>load</c>
/// and <c>import</c> verbs, and for the benchmark, which times the service path this way.
/// </summary>
public static class IngestionHost
{
    /// <param name="clock">The clock the packages are recorded by: the system's, unless a caller compares what two paths recorded.</param>
    public static async Task<IHost> StartAsync(string connectionString, TimeProvider? clock = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        // Wolverine's sessions, as in the service: the handlers load through them.
        builder.Services.AddLedgerIngestion(connectionString, clock).IntegrateWithWolverine();
        builder.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(IngestionHost).Assembly;
            opts.Policies.AutoApplyTransactions();
            opts.Durability.Mode = DurabilityMode.MediatorOnly;
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>
    /// Sends the handler bytes that are no package, so that Wolverine generates and compiles its code now (seconds, once
    /// per process) rather than inside the first package's time; nothing is recorded.
    /// </summary>
    public static async Task WarmAsync(IMessageBus bus, CancellationToken ct)
    {
        var answer = await bus.RecordAsync("{}"u8.ToArray(), new Recording("warm-up", "compiles the handler; records nothing"), ct);
        if (answer.Outcome != IngestionOutcome.Invalid) throw new InvalidOperationException($"The warm-up package was answered {answer.Outcome}, not refused.");
    }
}
