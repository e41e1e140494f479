namespace Ledger.Api.Ingestion;

/// <summary>201: the package's document is recorded, with how many events, facts, restatements and reconciliations it took.</summary>
public sealed record PackageRecorded(string DocumentId, int Recorded, int Facts, int Restatements, int Reconciliations,
    IReadOnlyList<IngestionWarning> Warnings);

/// <summary>
/// 200: the document was already on record. Loaded again from the same package, nothing is recorded (<c>recorded</c> 0);
/// loaded from a package marked as a correction, <c>corrected</c> lists the figures whose values it changed.
/// </summary>
public sealed record PackageOnRecord(string DocumentId, int Recorded, IReadOnlyList<FigureDifference>? Corrected, string? Message);
