using Ledger.Domain.Ingestion;

namespace Ledger.Api.Imports;

/// <summary>What an import did: how many of the file's documents were new to the ledger, and what they stated.</summary>
public sealed record ImportResult(
    string Entity,
    int Documents,
    int Recorded,
    int AlreadyInLedger,
    int Facts,
    IReadOnlyList<string> RecordedDocuments,
    string? FiscalYearEnd,
    IReadOnlyList<PackageError>? Errors = null,
    string? Conflict = null)
{
    public bool Invalid => Errors is { Count: > 0 };

    public static ImportResult Refused(string entity, IReadOnlyList<PackageError> errors) => new(entity, 0, 0, 0, 0, [], null, errors);
}
