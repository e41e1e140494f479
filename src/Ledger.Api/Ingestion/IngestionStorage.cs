using Marten;

namespace Ledger.Api.Ingestion;

/// <summary>
/// What recording keeps beside the events, registered with the store once (<see cref="Database.MartenSetup"/>), as each
/// view is by its feature: each package's record (<see cref="LoadedPackage"/>), its bytes (<see cref="PackageBodies"/>)
/// and the bulk load's journal (<see cref="BulkLoadJournal"/>).
/// </summary>
public static class IngestionStorage
{
    public static void Register(StoreOptions opts, string schema)
    {
        opts.Schema.For<LoadedPackage>().Identity(x => x.Id);
        opts.Storage.ExtendedSchemaObjects.Add(PackageBodies.Definition(schema));
        opts.Storage.ExtendedSchemaObjects.Add(BulkLoadJournal.Definition(schema));
    }
}
