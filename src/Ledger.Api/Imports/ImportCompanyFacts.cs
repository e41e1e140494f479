using System.Text.Json;
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
/// Reads the file (<see cref="SecCompanyFacts"/>) with what the ledger knows of the company (its currency and fiscal
/// calendar, so that a newer file keys its figures as the first one did), and records the filings the ledger lacks.
/// </summary>
public static class ImportCompanyFactsHandler
{
    public static async Task<ImportResult> Handle(ImportCompanyFacts command, DocumentImport import, IQuerySession session, CancellationToken ct)
    {
        var (company, outcome) = await ReadAsync(command.Body, session, ct);
        if (company is null) return ImportResult.Refused(outcome.Entity, outcome.Errors);
        return await import.RecordAsync(company.Entity, company.Filings.Select(f => f.Package).ToList(),
            company.Calendar.IsCalendarYear ? null : company.Calendar.ToString(), command.Recording, ct);
    }

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

public static class CompanyFactsImports
{
    public static Task<ImportResult> ImportCompanyFactsAsync(this IMessageBus bus, byte[] body, Recording recording, CancellationToken ct) =>
        bus.InvokeAsync<ImportResult>(new ImportCompanyFacts(body, recording), ct);
}
