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
}
