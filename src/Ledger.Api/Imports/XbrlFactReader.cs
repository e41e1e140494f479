using System.Globalization;
using System.Text.Json;
using Ledger.Api.Exports;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Ledger.Domain.Parsing;
using Ledger.Domain.Values;

namespace Ledger.Api.Imports;

/// <summary>
/// One numeric fact of a report as a package states it (<see cref="Fact"/>), with the document it belongs to when the
/// report is a ledger export: the document whose value it is (<c>ledger:ReportedIn</c>) and, for a value known only
/// because another document cites it, that document and the date the citation gave the cited one.
/// </summary>
public sealed record XbrlFact(string Id, string Element, PackageFact Fact, string? ReportedIn, string? CitedBy, string? CitedPublishedOn,
    XbrlRestatement? Restatement = null);

/// <summary>
/// A ledger export's <c>ledger:restatement</c>: the document restates the figure from <paramref name="PreviouslyReportedIn"/>
/// (dated by the restatement where it was), with the value as previously reported, the printed adjustment, its reasons, and
/// the restated value where it is not the fact's own.
/// </summary>
public sealed record XbrlRestatement(string PreviouslyReportedIn, string? PreviousPublishedOn, PackageRestatedValue Before, PackageRestatedValue? Adjustment,
    IReadOnlyList<RestatementReason> Reasons, PackageRestatedValue? After, string? Note);

/// <summary>
/// Reads the facts of an OIM xBRL-JSON report into package facts, collecting every error (by fact id and concept) before
/// answering, as <see cref="PackageReader"/> does:
/// <list type="bullet">
/// <item>Concepts: <c>ledger:X</c> is X, <c>ifrs-full:X</c> the catalog's X where the catalog defines it as that IFRS
/// element, any other element its qualified name; a ledger export's <c>ledger:concept</c> says the id outright.</item>
/// <item>Units: <c>iso4217:USD</c> → USD, <c>iso4217:USD/xbrli:shares</c> → USD/share, <c>xbrli:shares</c> → shares,
/// <c>xbrli:pure</c> or none → pure, the ledger's <c>ledger:count</c> and counts of things; any other is an error.</item>
/// <item>Periods: a duration's start and end midnights are its first day and the day after its last
/// (<see cref="Period.Between"/>, which the package reader keys by the entity's calendar); an instant's midnight ends the day before.</item>
/// <item>Dimensions: the IFRS separate-statements member is the parent scope; <c>ledger:X</c> is the ledger's dimension X;
/// any other is kept as <c>axis=member</c> (neither may hold '|', ';' or '=').</item>
/// <item>Values: absent decimals mean exact; null is nil. A ledger export's printed text is used again where it gives the
/// same value, so that the document's statement is recorded as it was.</item>
/// </list>
/// A report that is not a ledger export also holds text, dates and flags (<c>dei:EntityRegistrantName</c>): a fact without
/// unit and decimals whose concept is not the catalog's is not a number, and is left out (<see cref="LeftOut"/>).
/// </summary>
public sealed class XbrlFactReader(XbrlNames names, ConceptCatalog catalog, bool ledgerExport, List<PackageError> errors)
{
    private const string ConsolidatedMember = "ifrs-full:ConsolidatedMember";

    /// <summary>Facts left out because they are not numbers.</summary>
    public int LeftOut { get; private set; }

    public XbrlFact? Read(string id, JsonElement fact)
    {
        var path = XbrlPaths.Fact(id);
        var before = errors.Count;
        if (fact.ValueKind != JsonValueKind.Object || !fact.TryGetProperty("dimensions", out var dims) || dims.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "a fact is an object with a value and its dimensions (concept, entity, period, unit)"));
            return null;
        }
        if (Text(dims, "concept") is not { } written)
        {
            errors.Add(new(path + ".dimensions.concept", "is required: the fact's concept as a QName"));
            return null;
        }
        var element = names.Canonical(written);
        var concept = fact.TryGetProperty(XbrlJson.ConceptProperty, out var stored) && stored.ValueKind == JsonValueKind.String
            ? stored.GetString()! : XbrlJson.ConceptFrom(element, catalog);
        var hasUnit = dims.TryGetProperty("unit", out _);
        var hasDecimals = fact.TryGetProperty("decimals", out _);
        var defined = catalog.TryGet(concept, out var c) ? c : null;
        if (!ledgerExport && !hasUnit && !hasDecimals && defined is not { External: false })
        {
            LeftOut++;
            return null;
        }
        void Error(string field, string message) => errors.Add(new($"{path}{field}", $"{element}: {message}"));

        if (defined is null) Error(".dimensions.concept", $"'{concept}' is neither a concept of the catalog nor a taxonomy-qualified element name");
        var unitText = hasUnit ? Text(dims, "unit") : null;
        var unit = hasUnit && unitText is null ? null : names.Unit(unitText);
        // The IFRS taxonomy counts (employees, shops) in pure numbers; the catalog's counts are in the ledger's count.
        if (unit == Units.Pure && defined is { External: false, DataType: DataType.Count }) unit = Units.Count;
        if (unit is null)
            Error(".dimensions.unit", $"'{(hasUnit ? unitText ?? dims.GetProperty("unit").GetRawText() : "")}' is not a unit the ledger knows " +
                                      "(iso4217:XXX, iso4217:XXX/xbrli:shares, xbrli:shares, xbrli:pure or none, ledger:count)");
        else if (defined is not null && !defined.Accepts(unit)) Error(".dimensions.unit", $"'{unitText}' does not suit {concept}, whose values are {defined.DataType.ToString().ToLowerInvariant()}");

        var periodText = Text(dims, "period");
        Period? period = null;
        if (!XbrlJson.TryReadPeriod(periodText, out var start, out var end))
            Error(".dimensions.period", $"'{periodText}' is not a period the ledger records (start/end at midnight, 2023-01-01T00:00:00/2024-01-01T00:00:00, or an instant at midnight)");
        else period = start is { } s ? Period.Between(s, end) : Period.Instant(end);
        if (period is not null && defined is { External: false } && defined.PeriodType != period.Type)
            Error(".dimensions.period", $"'{periodText}' is {(period.Type == PeriodType.Instant ? "an instant" : "a duration")} but {concept} is measured over {(defined.PeriodType == PeriodType.Instant ? "an instant" : "a duration")}");

        var scope = Scopes.Consolidated;
        var ledgerDims = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? reportedIn = null;
        foreach (var d in dims.EnumerateObject().Where(d => !XbrlJson.CoreDimensions.Contains(d.Name)))
        {
            var axis = names.Canonical(d.Name);
            if (d.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(d.Value.GetString()))
            {
                Error($".dimensions.{d.Name}", "a dimension's member is a non-empty string");
                continue;
            }
            var member = d.Value.GetString()!;
            if (names.Declares(member.Split(':')[0]) && member.Contains(':')) member = names.Canonical(member);
            if (axis == XbrlJson.ReportedIn) reportedIn = member;
            else if (axis == XbrlJson.SeparateAxis && member is XbrlJson.SeparateMember or ConsolidatedMember)
                scope = member == XbrlJson.SeparateMember ? Scopes.Parent : Scopes.Consolidated;
            else
            {
                var key = axis.StartsWith("ledger:", StringComparison.Ordinal) ? axis["ledger:".Length..] : axis;
                if (!FigureKey.IsDimensionPart(key) || !FigureKey.IsDimensionPart(member))
                    Error($".dimensions.{d.Name}", $"'{d.Name}={member}': the ledger keys dimensions as axis=member; {FigureKey.DimensionPartRule}");
                // Two prefixes bound to one namespace, or an axis given with and without the ledger's prefix: one dimension twice.
                else if (!ledgerDims.TryAdd(key, member))
                    Error($".dimensions.{d.Name}", $"'{d.Name}' is the axis '{key}', which another of the fact's dimensions names too");
            }
        }

        var value = XbrlValues.Read(fact, "ledger:", Error);
        var location = XbrlValues.Location(fact, XbrlJson.LocationProperty, Error);
        var citedBy = XbrlValues.Text(fact, XbrlJson.CitedByProperty, Error);
        var citedPublishedOn = Date(XbrlValues.Text(fact, XbrlJson.CitedPublishedOnProperty, Error), $".{XbrlJson.CitedPublishedOnProperty}", Error);
        var restatement = fact.TryGetProperty(XbrlJson.RestatementProperty, out var r) && unit is not null ? Restatement(r, unit, Error) : null;
        if (!ledgerExport)
            foreach (var (given, name) in new[] { (reportedIn, $"dimensions.{XbrlJson.ReportedIn}"), (citedBy, XbrlJson.CitedByProperty), (restatement?.PreviouslyReportedIn, XbrlJson.RestatementProperty) })
                if (given is not null)
                    Error($".{name}", $"names a document, but documentInfo does not list the documents ({ReportContents.DocumentsProperty}): only a ledger's as-reported export is imported document by document");
        if (errors.Count > before) return null;

        var packageFact = XbrlValues.AsFact(value, unit!) with
        {
            Concept = concept, Period = period!.Id, Scope = scope == Scopes.Consolidated ? null : scope,
            Dims = ledgerDims.Count == 0 ? null : ledgerDims, Unit = unit, Location = location,
        };
        return new XbrlFact(id, element, packageFact, reportedIn, citedBy, citedPublishedOn, restatement);
    }

    /// <summary>A ledger export's <c>ledger:restatement</c> (<see cref="XbrlJson.Write"/>), or null with errors.</summary>
    private static XbrlRestatement? Restatement(JsonElement r, string unit, Action<string, string> error)
    {
        const string path = "." + XbrlJson.RestatementProperty;
        if (r.ValueKind != JsonValueKind.Object) { error(path, "must be an object (previouslyReportedIn, before, reasons)"); return null; }
        void Error(string field, string message) => error(path + field, message);
        var previous = XbrlValues.Text(r, "previouslyReportedIn", Error);
        if (string.IsNullOrWhiteSpace(previous)) Error(".previouslyReportedIn", "is required: the document whose value is restated");
        var previousPublishedOn = Date(XbrlValues.Text(r, "previousPublishedOn", Error), ".previousPublishedOn", Error);
        PackageRestatedValue? Value(string name)
        {
            if (!r.TryGetProperty(name, out var v)) return null;
            if (v.ValueKind != JsonValueKind.Object) { Error($".{name}", "must be an object (value, decimals, printed, scale, location)"); return null; }
            void ValueError(string field, string message) => Error($".{name}{field}", message);
            var x = XbrlValues.Read(v, "", ValueError);
            if (x.Value is not null && x.Decimals is null) ValueError(".decimals", "is required: a restated value is never exact");
            return XbrlValues.AsRestatedValue(x, unit, XbrlValues.Location(v, "location", ValueError));
        }
        var before = Value("before");
        if (before is null) Error(".before", "is required: the value as previously reported");
        var reasons = new List<RestatementReason>();
        if (r.TryGetProperty("reasons", out var rs) && rs.ValueKind == JsonValueKind.Array)
            foreach (var reason in rs.EnumerateArray())
                if (reason.ValueKind == JsonValueKind.Object && XbrlValues.Text(reason, "kind", Error) is { } kind)
                    reasons.Add(new RestatementReason(kind, XbrlValues.Text(reason, "policyChange", Error), XbrlValues.Text(reason, "detail", Error)));
                else Error(".reasons", "each reason is an object with a kind");
        else Error(".reasons", "is required: an array of reasons (kind, policyChange, detail)");
        return previous is null || before is null
            ? null
            : new XbrlRestatement(previous, previousPublishedOn, before, Value("adjustment"), reasons, Value("after"), XbrlValues.Text(r, "note", Error));
    }

    private static string? Date(string? text, string field, Action<string, string> error)
    {
        if (text is not null && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            error(field, $"'{text}' is not a date (yyyy-MM-dd)");
        return text;
    }

    public static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

public static class XbrlPaths
{
    /// <summary>The JSON path of a fact by its id: <c>$.facts.f12</c>, or <c>$.facts['an id']</c> where the id needs quoting.</summary>
    public static string Fact(string id) =>
        id.Length > 0 && (char.IsAsciiLetter(id[0]) || id[0] == '_') && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? $"$.facts.{id}" : $"$.facts['{id.Replace("'", "\\'")}']";
}
