using Ledger.Api.Database;

namespace Ledger.Api.Ingestion;

/// <summary>
/// The record of the package a document was loaded from: what it states, figure by figure, signed, so that a repeated or
/// changed package is compared with it figure by figure; its bytes are kept verbatim beside it (<see cref="PackageBodies"/>).
/// A Marten document, registered with the rest of what recording stores (<see cref="IngestionStorage"/>); until
/// 2026-12-07 in <c>Database/MartenSetup</c>, so records written before name that type (<c>mt_dotnet_type</c>), which
/// Marten does not read for a document of one type.
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
