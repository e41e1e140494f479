using Ledger.Api.Database;
using Ledger.Domain.Concepts;
using Marten;

namespace Ledger.Api.Ingestion;

public static class IngestionServices
{
    /// <summary>
    /// What recording a package needs wherever it runs (the service, <see cref="IngestionHost"/>): the concept catalog,
    /// the clock (the system's unless one is given) and the store with every table built at start. Returns
    /// Marten's registration to extend.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddLedgerIngestion(this IServiceCollection services, string connectionString, TimeProvider? clock = null)
    {
        services.AddSingleton(ConceptCatalog.Default);
        services.AddSingleton(clock ?? TimeProvider.System);
        return services.AddMarten(opts => MartenSetup.Configure(opts, connectionString))
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup();
    }
}
