using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Domain.Concepts;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;

namespace Ledger.Api.Exports;

/// <summary>One fact of an export: a figure's value, and whether it is current, superseded, or one document's.</summary>
public sealed record ExportFact(FigureKey Figure, Amount Value, string Status, string? DocumentId = null, DateOnly? PublishedOn = null)
{
    public const string Current = "current";
    public const string PreviouslyStated = "previously-stated";
    public const string AsReported = "as-reported";
}

/// <summary>
/// xBRL-JSON (the Open Information Model's JSON form, https://xbrl.org/2021/xbrl-json): each fact has the core
/// dimensions concept, entity, period and unit. Concepts are IFRS elements where our concept id is one,
/// extension concepts (prefix <c>ledger</c>) otherwise. Superseded values sit on the IFRS restatement axis as
/// previously stated; the parent-only statements on the IFRS separate-statements axis; our own dimensions
/// (segment, measure) are typed dimensions of the extension; an as-reported export names each fact's document
/// on <c>ledger:ReportedIn</c>; ratios carry no unit, which OIM reads as pure. <see cref="Read"/> reads the same
/// form back.
/// </summary>
public static class XbrlJson
{
    public const string DocumentType = "https://xbrl.org/2021/xbrl-json";
    public const string IfrsNamespace = "https://xbrl.ifrs.org/taxonomy/2025-03-27/ifrs-full";
    public const string IfrsEntryPoint = "https://xbrl.ifrs.org/taxonomy/2025-03-27/full_ifrs_entry_point_2025-03-27.xsd";
    public const string LedgerNamespace = "urn:ledger:concepts";
    public const string TickerScheme = "urn:ledger:entity:exchange-ticker";

    private const string RestatementAxis = "ifrs-full:RetrospectiveApplicationAndRetrospectiveRestatementAxis";
    private const string PreviouslyStatedMember = "ifrs-full:PreviouslyStatedMember";
    private const string SeparateAxis = "ifrs-full:ConsolidatedAndSeparateFinancialStatementsAxis";
    private const string SeparateMember = "ifrs-full:SeparateMember";
    private const string ReportedIn = "ledger:ReportedIn";
    private static readonly HashSet<string> CoreDimensions = ["concept", "entity", "period", "unit", "language"];

    public static JsonObject Write(string entity, string view, string? asOf, IEnumerable<ExportFact> facts, ConceptCatalog catalog)
    {
        var written = new JsonObject();
        var n = 0;
        foreach (var f in facts)
        {
            var dimensions = new JsonObject
            {
                ["concept"] = ConceptName(f.Figure.Concept, catalog),
                ["entity"] = $"ticker:{entity}",
                ["period"] = PeriodOf(Period.Parse(f.Figure.Period)),
            };
            // OIM writes a pure number with no unit at all (xbrli:pure is illegal there: oime:illegalPureUnit).
            if (f.Value.Unit != Units.Pure) dimensions["unit"] = UnitOf(f.Value.Unit);
            if (f.Figure.Scope == Scopes.Parent) dimensions[SeparateAxis] = SeparateMember;
            foreach (var (key, value) in f.Figure.Dimensions) dimensions[$"ledger:{key}"] = value;
            if (f.Status == ExportFact.PreviouslyStated) dimensions[RestatementAxis] = PreviouslyStatedMember;
            if (f.Status == ExportFact.AsReported) dimensions[ReportedIn] = f.DocumentId;

            var fact = new JsonObject { ["value"] = f.Value.ValueText };
            // No decimals means infinitely precise, as OIM reads an absent decimals on a numeric fact.
            if (f.Value.Decimals is { } d) fact["decimals"] = d;
            fact["dimensions"] = dimensions;
            if (f.Value.Nil == NilKind.NotApplicable) fact["ledger:nil"] = "not-applicable";
            if (f.Value.Approximate) fact["ledger:approximate"] = true;
            if (f.Value.LowerBound) fact["ledger:lowerBound"] = true;
            written[$"f{++n}"] = fact;
        }
        return new JsonObject
        {
            ["documentInfo"] = new JsonObject
            {
                ["documentType"] = DocumentType,
                // The IFRS elements resolve through this entry point; the ledger: extension has no published schema yet.
                ["taxonomy"] = new JsonArray(IfrsEntryPoint),
                ["namespaces"] = new JsonObject
                {
                    ["ifrs-full"] = IfrsNamespace,
                    ["iso4217"] = "http://www.xbrl.org/2003/iso4217",
                    ["xbrli"] = "http://www.xbrl.org/2003/instance",
                    ["ledger"] = LedgerNamespace,
                    ["ticker"] = TickerScheme,
                },
                ["ledger:view"] = view,
                ["ledger:asOf"] = asOf,
            },
            ["facts"] = written,
        };
    }

    /// <summary>Reads an export back into figures and values: the inverse of <see cref="Write"/>.</summary>
    public static IReadOnlyList<ExportFact> Read(JsonElement report)
    {
        var info = report.GetProperty("documentInfo");
        if (info.GetProperty("documentType").GetString() != DocumentType) throw new FormatException("not an xBRL-JSON report");
        var facts = new List<ExportFact>();
        foreach (var property in report.GetProperty("facts").EnumerateObject())
        {
            var fact = property.Value;
            var dims = fact.GetProperty("dimensions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var concept = dims["concept"].Split(':', 2)[1];
            var entity = dims["entity"].Split(':', 2)[1];
            var period = PeriodFrom(dims["period"]);
            var scope = dims.TryGetValue(SeparateAxis, out var s) && s == SeparateMember ? Scopes.Parent : Scopes.Consolidated;
            var own = dims.Where(d => d.Key.StartsWith("ledger:", StringComparison.Ordinal) && d.Key != ReportedIn)
                .ToDictionary(d => d.Key["ledger:".Length..], d => d.Value);
            var value = fact.GetProperty("value").ValueKind == JsonValueKind.Null ? (decimal?)null
                : decimal.Parse(fact.GetProperty("value").GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
            var nil = value is not null ? (NilKind?)null
                : fact.TryGetProperty("ledger:nil", out var nk) && nk.GetString() == "not-applicable" ? NilKind.NotApplicable : NilKind.Nil;
            var amount = new Amount(value, dims.TryGetValue("unit", out var unit) ? UnitFrom(unit) : Units.Pure,
                fact.TryGetProperty("decimals", out var d) ? d.GetInt32() : null, nil,
                fact.TryGetProperty("ledger:approximate", out var a) && a.GetBoolean(),
                fact.TryGetProperty("ledger:lowerBound", out var lb) && lb.GetBoolean());
            var status = dims.ContainsKey(RestatementAxis) ? ExportFact.PreviouslyStated : dims.ContainsKey(ReportedIn) ? ExportFact.AsReported : ExportFact.Current;
            var extra = dims.Keys.Where(k => !CoreDimensions.Contains(k) && !k.StartsWith("ledger:", StringComparison.Ordinal) && k is not RestatementAxis and not SeparateAxis).ToList();
            if (extra.Count > 0) throw new FormatException($"fact {property.Name} has dimensions this ledger does not read: {string.Join(", ", extra)}");
            facts.Add(new ExportFact(new FigureKey(entity, concept, period.Id, scope, own), amount, status, dims.GetValueOrDefault(ReportedIn)));
        }
        return facts;
    }

    public static string ConceptName(string concept, ConceptCatalog catalog) =>
        catalog.TryGet(concept, out var c) && c.IfrsElement ? $"ifrs-full:{concept}" : $"ledger:{concept}";

    /// <summary>OIM periods: a duration runs from the start of its first day to the start of the day after its last; an instant is the end of its day.</summary>
    public static string PeriodOf(Period p) => p.Type == PeriodType.Instant
        ? Midnight(p.End.AddDays(1))
        : $"{Midnight(p.Start)}/{Midnight(p.End.AddDays(1))}";

    public static Period PeriodFrom(string text)
    {
        static DateOnly Day(string t) => DateOnly.FromDateTime(DateTime.ParseExact(t, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        var parts = text.Split('/');
        if (parts.Length == 1) return Period.Instant(Day(parts[0]).AddDays(-1));
        var (start, end) = (Day(parts[0]), Day(parts[1]).AddDays(-1));
        Period[] candidates = [Period.FiscalYear(start.Year), Period.Half(start.Year, 1), Period.Half(start.Year, 2),
            Period.Quarter(start.Year, 1), Period.Quarter(start.Year, 2), Period.Quarter(start.Year, 3), Period.Quarter(start.Year, 4)];
        return candidates.FirstOrDefault(c => c.Start == start && c.End == end)
            ?? throw new FormatException($"the period {text} is not a fiscal year, half or quarter");
    }

    public static string UnitOf(string unit) => unit switch
    {
        Units.Pure => "xbrli:pure",
        Units.Shares => "xbrli:shares",
        Units.Count => "ledger:count",
        _ when unit.EndsWith("/share", StringComparison.Ordinal) => $"iso4217:{unit[..^"/share".Length]}/xbrli:shares",
        _ => $"iso4217:{unit}",
    };

    public static string UnitFrom(string unit) => unit switch
    {
        "xbrli:pure" => Units.Pure,
        "xbrli:shares" => Units.Shares,
        "ledger:count" => Units.Count,
        _ when unit.EndsWith("/xbrli:shares", StringComparison.Ordinal) => $"{unit["iso4217:".Length..^"/xbrli:shares".Length]}/share",
        _ => unit["iso4217:".Length..],
    };

    private static string Midnight(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00";
}
