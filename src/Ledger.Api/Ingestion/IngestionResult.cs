using Ledger.Domain.Ingestion;

namespace Ledger.Api.Ingestion;

public enum IngestionOutcome { Recorded, AlreadyLoaded, Corrected, Invalid, Conflict }

/// <summary>A figure whose value a package states differently from the ledger.</summary>
public sealed record FigureDifference(string Figure, string? Ledger, string? Package);

public sealed record IngestionWarning(string Figure, string Message);

public sealed record IngestionResult(
    IngestionOutcome Outcome,
    string? DocumentId,
    int Recorded,
    int Facts = 0,
    int Restatements = 0,
    int Reconciliations = 0,
    IReadOnlyList<PackageError>? Errors = null,
    IReadOnlyList<FigureDifference>? Differences = null,
    IReadOnlyList<IngestionWarning>? Warnings = null,
    string? Message = null);
