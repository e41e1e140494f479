using System.Text.Json;
using Ledger.Api.Exports;
using Ledger.Domain.Concepts;
using Ledger.Domain.Ingestion;
using Ledger.Domain.Values;
using Ledger.Projections.Entities;

namespace Ledger.Api.Imports;

/// <summary>The definition of a report's entity, for a ledger that does not hold it yet.</summary>
public static class EntityDefinition
{
    /// <summary>
    /// A ledger export's <c>ledger:entity</c> as it is. For another report, the caller's word, then
    /// <c>documentInfo["ledger:entity"]</c>, then what the report shows: <c>dei:EntityRegistrantName</c>, the standard of the
    /// taxonomy its concepts come from, its most frequent currency, <c>dei:CurrentFiscalYearEndDate</c>. Null, with nothing
    /// to add, where the ledger holds the entity; null with an error naming the option where neither says it.
    /// </summary>
    public static PackageEntity? Of(string entity, JsonElement info, XbrlReportOptions options, IReadOnlyDictionary<string, string> cover,
        IReadOnlyList<XbrlFact> facts, bool ledgerExport, EntityProfile? known, List<PackageError> errors)
    {
        var defined = info.TryGetProperty(ReportContents.EntityProperty, out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        string? Defined(string name) => defined.ValueKind == JsonValueKind.Object ? XbrlFactReader.Text(defined, name) : null;
        var definedNames = defined.ValueKind == JsonValueKind.Object && defined.TryGetProperty("names", out var n) && n.ValueKind == JsonValueKind.Object
            ? n.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : null;
        if (ledgerExport)
            return new PackageEntity(entity, definedNames, Defined("standard"), Defined("currency"), Defined("fiscalYearEnd"));
        if (known is not null) return null;

        // A blank name is none: refused as missing here, naming the query's option, not as the package's name further on.
        static string? NonBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
        var name = NonBlank(options.Name) ?? (definedNames is null ? NonBlank(cover.GetValueOrDefault("dei:EntityRegistrantName")) : null);
        var names = name is not null ? new Dictionary<string, string> { ["en"] = name } : definedNames;
        if (names is null || names.Count == 0)
            errors.Add(new("name", $"is required: entity '{entity}' is not in the ledger and the report does not name it (dei:EntityRegistrantName); give it (?name=…; import verb --name)"));
        var standard = options.Standard ?? Defined("standard") ?? StandardOf(facts);
        if (standard is null)
            errors.Add(new("standard", $"is required: entity '{entity}' is not in the ledger and the report's concepts are neither IFRS nor US GAAP elements; give it (?standard=IFRS, HKFRS, CAS or US-GAAP; import verb --standard)"));
        var currency = options.Currency ?? Defined("currency") ?? CurrencyOf(facts);
        if (currency is null)
            errors.Add(new("currency", $"is required: entity '{entity}' is not in the ledger and the report states no amount in a currency; give it (?currency=USD; import verb --currency)"));
        var fiscalYearEnd = options.FiscalYearEnd ?? Defined("fiscalYearEnd") ?? cover.GetValueOrDefault("dei:CurrentFiscalYearEndDate");
        if (fiscalYearEnd is not null && !FiscalCalendar.TryParse(fiscalYearEnd, out _))
            errors.Add(new("fiscalYearEnd", ReportOptionForms.NotAYearEnd(fiscalYearEnd)));
        return new PackageEntity(entity, names, standard, currency, fiscalYearEnd);
    }

    private static string? StandardOf(IReadOnlyList<XbrlFact> facts) =>
        facts.Any(f => f.Element.StartsWith("ifrs-full:", StringComparison.Ordinal)) ? "IFRS"
        : facts.Any(f => f.Element.StartsWith("us-gaap:", StringComparison.Ordinal)) ? "US-GAAP"
        : null;

    private static string? CurrencyOf(IReadOnlyList<XbrlFact> facts) =>
        facts.Select(f => f.Fact.Unit!).Select(u => u.EndsWith("/share", StringComparison.Ordinal) ? u[..^"/share".Length] : u)
            .Where(Units.IsCurrency).GroupBy(u => u).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault();
}
