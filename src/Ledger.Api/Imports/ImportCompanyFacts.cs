using System.Text.Json;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Imports;
using Ledger.Domain.Ingestion;
using Ledger.Projections.Entities;
using Marten;
using Wolverine;

namespace Ledger.Api.Imports;

/// <summary>The command to import one SEC company-facts file (its bytes as received), on behalf of <paramref name="Recording"/>.</summary>
public sealed record ImportCompanyFacts(byte[] Body, Recording Recording);

/// <summary>
/// A compound handler, as a package's: <see cref="LoadAsync"/> reads the file (<see cref="SecCompanyFacts"/>) with what the
/// ledger knows of the company (its currency and fiscal calendar, so that a newer file keys its figures as the first one
/// did) and what the ledger holds of its filings, in Wolverine's query session; <see cref="Handle"/>, which reads and writes
/// nothing, decides the answer and the write (<see cref="ImportDecision"/>), which Wolverine then carries out.
/// </summary>
public static class ImportCompanyFactsHandler
{
    public static async Task<CompanyFactsOnLedger> LoadAsync(ImportCompanyFacts command, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var (company, outcome) = await ReadAsync(command.Body, session, ct);
        var ledger = company is null ? null : await LedgerOnImport.ReadAsync(session, company.Filings.Select(f => f.Package).ToList(), ct);
        return new CompanyFactsOnLedger(company, outcome.Entity, outcome.Errors, ledger, command.Recording.At(clock.GetUtcNow()));
    }

    public static (ImportResult, ImportWrite?) Handle(ImportCompanyFacts command, CompanyFactsOnLedger read, ConceptCatalog catalog) =>
        read is { Company: { } company, Ledger: { } ledger }
            ? ImportDecision.Decide(company.Entity, company.Filings.Select(f => f.Package).ToList(),
                company.Calendar.IsCalendarYear ? null : company.Calendar.ToString(), ledger, catalog, read.Recording)
            : (ImportResult.Refused(read.Entity, read.Errors), null);

    /// <summary>The file read with what the ledger knows of its company; <c>Known</c> says whether the ledger holds the company already.</summary>
    public static async Task<(SecCompany? Company, (string Entity, IReadOnlyList<PackageError> Errors, bool Known) Outcome)> ReadAsync(byte[] body, IQuerySession session, CancellationToken ct)
    {
        using var json = ImportJson.Parse(body, out var malformed);
        if (json is null) return (null, ("", malformed, false));
        var entity = SecCompanyFacts.EntityOf(json.RootElement);
        var profile = entity is null ? null : await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct);
        var known = profile is { Standard.Length: > 0 } ? new KnownCompany(profile.Currency, profile.Calendar()) : null;
        var (company, errors) = SecCompanyFacts.Read(json.RootElement, known);
        return (company, (entity ?? "", errors, known is not null));
    }
}

public static class ImportJson
{
    /// <summary>
    /// The body as JSON, or null with the errors that say where it is malformed or holds what no document prints (the
    /// same text checks as a posted package: control characters, a lone surrogate, a property named twice).
    /// </summary>
    public static JsonDocument? Parse(byte[] body, out IReadOnlyList<PackageError> errors)
    {
        errors = PackageText.Check(body);
        if (errors.Count > 0) return null;
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            errors = [new PackageError(e.Path ?? "$", $"malformed JSON: {e.Message.Split(" Path:")[0]}")];
            return null;
        }
    }
}

/// <summary>The file read (or the errors that stop it), and what the ledger holds of its filings.</summary>
public sealed record CompanyFactsOnLedger(SecCompany? Company, string Entity, IReadOnlyList<PackageError> Errors, LedgerOnImport? Ledger, Recording Recording);

public static class CompanyFactsImports
{
    /// <summary>Imports through the bus; a write that met another at commit is answered as the conflict it is.</summary>
    public static Task<ImportResult> ImportCompanyFactsAsync(this IMessageBus bus, byte[] body, Recording recording, CancellationToken ct) =>
        bus.InvokeAnsweringConflictsAsync<ImportResult>(new ImportCompanyFacts(body, recording), ct);
}
