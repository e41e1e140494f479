using JasperFx;
using JasperFx.Events;
using Ledger.Api.Ingestion;
using Ledger.Projections.Figures;
using Ledger.Projections;
using Marten;
using Weasel.Core;
using Ledger.Projections.Documents;
using Ledger.Projections.Entities;
using Ledger.Projections.NonGaap;

namespace Ledger.Api.Database;

public static class MartenSetup
{
    public const string Schema = "ledger";

    /// <summary>
    /// A store for a command run outside the service (load, bulk-load, rebuild), with every configured table built, as the
    /// service builds them at start: the views' own tables are not created lazily as Marten's are.
    /// </summary>
    public static async Task<DocumentStore> OpenStoreAsync(string connectionString)
    {
        var store = DocumentStore.For(opts => Configure(opts, connectionString));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
    }

    /// <summary>The connection string a store configured here connects with, password included (BulkLoad needs a second store like it).</summary>
    public static string ConnectionStringOf(IDocumentStore store) =>
        StoreConnections.ConfiguredOf(store.Options) ?? throw new InvalidOperationException("The store was not configured by MartenSetup.Configure.");

    /// <summary>The store's configuration, shared by the service, the loader command and the tests.</summary>
    public static void Configure(StoreOptions opts, string connectionString)
    {
        opts.Connection(connectionString);
        StoreConnections.Register(opts, connectionString);
        opts.DatabaseSchemaName = Schema;
        // Absent members are not written: a null says nothing, and a figure event's JSON was 40 % nulls (380 bytes on
        // average at the benchmark's medium scale, 229 without), each printed, hashed and sealed (Audit/), copied and
        // read again by every rebuild. Read back, an absent member is null as before. Only the store's JSON: the API's
        // answers already leave nulls out (Http/Problems) and are unchanged.
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase,
            json => json.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        // No SQL parameters in the log (QuietMartenLogger says why); Npgsql's own logging stays off too.
        opts.Logger(new QuietMartenLogger());
        opts.DisableNpgsqlLogging = true;

        // Documents, entities and reconciliations are named by what they are (document:688083.SH/AR2023,
        // entity:688083.SH; StreamKeys), so their streams are keyed by those strings. A figure has no stream of its own:
        // its events are in the stream of the document that states it (a ledger written before 2026-12-02 keeps its old
        // per-figure streams, keyed by the figure: 688083.SH|Revenue|FY2023|consolidated).
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        // A quick append (Marten 9.59's default, said here because the views rely on it): the database numbers the events
        // inside the append, after the tamper-evident log's lock is taken (Audit/), so sequence numbers follow commit order,
        // and the stated-value rows a transaction's projection inserts after its events are numbered (position) in the same
        // order: a figure's rows fold alike live and rebuilt. Rich would number events before the lock, and leave gaps.
        // (Plain Quick measured slower here: a 20,000-fact package in 15–17 s against 12–13 s.)
        opts.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
        // An index on (type, seq_id): a rebuild's replay of the views of rare event types reads them by it (RebuildPages).
        opts.Events.EnableEventTypeIndex = true;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MetadataConfig.UserNameEnabled = true;
        // Every event type up front, so that any process knows the log's events by their names (document_recorded, …):
        // for a name it has not met, Marten falls back to the .NET type a row names, and the events changed namespace
        // on 2026-12-06 (the domain's folders by feature), which a ledger written before still names (EventTypeNamesTests).
        opts.Events.AddEventTypes(Ledger.Domain.Events.LedgerEvents.All);

        // The views, each registered by its feature (lifecycles and why: README, "Views and when they are written").
        FigureViews.Register(opts, Schema, Audit.AuditChainSchema.LockKey);
        DocumentViews.Register(opts);
        EntityViews.Register(opts);
        NonGaapViews.Register(opts);
        Ledger.Projections.Checks.CheckViews.Register(opts, Schema);
        // A rebuild replays each view the daemon rebuilds in pages read by the event-type index (RebuildPages says why).
        Ledger.Projections.RebuildPages.ApplyTo(opts);

        Ingestion.IngestionStorage.Register(opts, Schema);
        opts.Schema.For<Http.IdempotentRequest>().Identity(x => x.Id);
        opts.Schema.For<StoredViewsVersion>().Identity(x => x.Id);
    }
}
