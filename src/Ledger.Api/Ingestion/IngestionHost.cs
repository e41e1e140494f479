using Wolverine;
using Wolverine.Marten;

namespace Ledger.Api.Ingestion;

/// <summary>
/// The service's bus and ingestion handler in a host of their own, without HTTP: packages go through Wolverine's
/// <c>InvokeAsync</c> to the same handler as POST /api/disclosures sends them (its query session from Wolverine; the write
/// opens its own sealed transaction, <see cref="PackageWrite"/>). For the <c>load</c> and <c>import</c> verbs, and for the
/// benchmark, which times the service path this way.
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
    /// Cancelled once the process is asked to stop (Ctrl+C, SIGTERM). The host's console lifetime takes those signals for
    /// itself: it only says that the application is stopping, and the process runs on. So whatever runs on the host stops
    /// on this instead; else a verb or the benchmark would go on past the signal.
    /// </summary>
    public static CancellationToken StopRequested(this IHost host) => host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

    /// <summary>What a verb says when a signal stopped it (<see cref="StopRequested"/>), and its exit code.</summary>
    public static int Stopped(int done, int of)
    {
        Console.Error.WriteLine($"Stopped by a signal after {done} of {of} file(s). What is answered above is recorded as answered; the file being " +
                                "recorded when the signal came is recorded whole or not at all (run the verb again: what is recorded answers that it is).");
        return Interrupted;
    }

    /// <summary>The exit code of a verb stopped by a signal (as a shell reports Ctrl+C's).</summary>
    public const int Interrupted = 130;
}
