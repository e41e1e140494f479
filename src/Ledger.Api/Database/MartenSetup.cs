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

        // Figures, documents and entities are named by what they are (688083.SH|Revenue|FY2023|consolidated),
        // so their streams are keyed by those strings.
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

        opts.Schema.For<LoadedPackage>().Identity(x => x.Id);
        opts.Storage.ExtendedSchemaObjects.Add(Ingestion.PackageBodies.Definition(Schema));
        opts.Storage.ExtendedSchemaObjects.Add(Ingestion.BulkLoadJournal.Definition(Schema));
        opts.Schema.For<Http.IdempotentRequest>().Identity(x => x.Id);
        opts.Schema.For<StoredViewsVersion>().Identity(x => x.Id);
    }
}

/// <summary>
/// The package a document was loaded from, kept verbatim: it proves what was recorded and lets a
/// repeated or changed package be compared figure by figure.
/// </summary>
public sealed class LoadedPackage
{
    /// <summary>Marten's table of the records, for the writes that put a record together in SQL (Ingestion/PackageRecords).</summary>
    public static string Table => $"{MartenSetup.Schema}.mt_doc_loadedpackage";

    public string Id { get; set; } = "";
    public string ContentHash { get; set; } = "";
    /// <summary>
    /// Figure key → what the document states about it: a digest of its canonical statements (to compare two packages)
    /// and its own most precise value (for people). Written since commit 0c7acc2 (2026-12-04), one entry per figure;
    /// before, the two were the maps <see cref="Figures"/> and <see cref="FigureSignatures"/>, each repeating every key
    /// (20 MB of jsonb for 100,000 figures, about 0.6 s of that package's write). Read through <see cref="FigureContent"/>,
    /// which takes both forms.
    /// </summary>
    public Dictionary<string, FigureSignature> Statements { get; set; } = [];
    /// <summary>Records written before commit 0c7acc2: figure key → its value, as "value unit decimals".</summary>
    public Dictionary<string, string>? Figures { get; set; }
    /// <summary>
    /// Records written before commit 0c7acc2: figure key → the SHA-256 (hex) of its canonical statements (records
    /// written before 2026-12-03: the canonical text itself).
    /// </summary>
    public Dictionary<string, string>? FigureSignatures { get; set; }
    /// <summary>The rest of the package (document, entities, policy changes, reconciliations), canonically.</summary>
    public string OtherContentSignature { get; set; } = "";
    // The package's bytes are in Ingestion.PackageBodies (records written before 2026-12-03 also carry them as "body").
    /// <summary>
    /// Records written before 2026-12-05 by a bulk load that had not yet committed its events: the load's id, a journal
    /// entry that the next start completes (the events are there) or undoes (they are not). A load now notes its records
    /// in a table of its own instead (BulkLoadJournal), as clearing this rewrote every record.
    /// </summary>
    public string? PendingBulkLoad { get; set; }

    /// <summary>What the record says the document states, figure by figure, whichever form it was written in.</summary>
    public IReadOnlyDictionary<string, FigureSignature> FigureContent() => FigureSignatures is { } older
        ? older.ToDictionary(p => p.Key, p => new FigureSignature(FigureSignature.DigestOf(p.Value), Figures?.GetValueOrDefault(p.Key)), StringComparer.Ordinal)
        : Statements ?? [];
}
