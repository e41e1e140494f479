using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;

namespace Ledger.Api.Exports;

/// <summary>
/// One fact of an export: a figure's value, and whether it is current, superseded, or one document's. An as-reported fact
/// also carries what the document printed (<paramref name="Printed"/> at <paramref name="Scale"/>), where, and, for a value
/// known only because a later document cites it, that document (<paramref name="CitedBy"/>), and the document's
/// restatement of the figure (<paramref name="Restatement"/>): what an import needs to record the same statements again.
/// </summary>
public sealed record ExportFact(FigureKey Figure, Amount Value, string Status, string? DocumentId = null, DateOnly? PublishedOn = null,
    string? Printed = null, string? Scale = null, string? CitedBy = null, Location? Location = null, ExportRestatement? Restatement = null)
{
    public const string Current = "current";
    public const string PreviouslyStated = "previously-stated";
    public const string AsReported = "as-reported";
}

/// <summary>
/// The document's restatement of the figure (<paramref name="Restatement"/>: after, reasons, printed before and adjustment),
/// the earlier document's value it names (<paramref name="RestatedFrom"/>, cited), and whether the value the as-reported view
/// shows is the restatement's own (else the document also states the figure plainly, and the restated value is written too).
/// </summary>
public sealed record ExportRestatement(Ledger.Domain.Figures.StatedValue Restatement, Ledger.Domain.Figures.StatedValue RestatedFrom, bool Shown);

/// <summary>
/// xBRL-JSON (the Open Information Model's JSON form, https://xbrl.org/2021/xbrl-json): each fact has the core
/// dimensions concept, entity, period and unit. Concepts are IFRS elements where our concept id is one,
/// extension concepts (prefix <c>ledger</c>) otherwise. Superseded values sit on the IFRS restatement axis as
/// previously stated; the parent-only statements on the IFRS separate-statements axis; our own dimensions
/// (segment, measure) are typed dimensions of the extension; an as-reported export names each fact's document
/// on <c>ledger:ReportedIn</c>; ratios carry no unit, which OIM reads as pure. <see cref="Read"/> reads the same
/// form back.
/// <para>An element of another taxonomy the ledger keeps under its qualified name (<c>us-gaap:Revenues</c>, from filings) is
/// written under that name; where an importer would read the name as another concept (<c>ifrs-full:Revenue</c> is the
/// catalog's <c>Revenue</c>), the fact says the ledger's id in <c>ledger:concept</c>. An as-reported export also says
/// what an import into another ledger needs (<see cref="ReportContents"/>; per fact: <c>ledger:printed</c>,
/// <c>ledger:scale</c>, <c>ledger:location</c>, <c>ledger:restatement</c> where the document restates the figure, and for
/// a cited value <c>ledger:citedBy</c> and, when the citation dated the cited document, <c>ledger:citedPublishedOn</c>;
/// docs/xbrl-json.md).</para>
/// </summary>
public static class XbrlJson
{
    public const string DocumentType = "https://xbrl.org/2021/xbrl-json";
    public const string IfrsNamespace = "https://xbrl.ifrs.org/taxonomy/2025-03-27/ifrs-full";
    public const string IfrsEntryPoint = "https://xbrl.ifrs.org/taxonomy/2025-03-27/full_ifrs_entry_point_2025-03-27.xsd";
    public const string LedgerNamespace = "urn:ledger:concepts";
    public const string TickerScheme = "urn:ledger:entity:exchange-ticker";

    public const string RestatementAxis = "ifrs-full:RetrospectiveApplicationAndRetrospectiveRestatementAxis";
    public const string PreviouslyStatedMember = "ifrs-full:PreviouslyStatedMember";
    public const string SeparateAxis = "ifrs-full:ConsolidatedAndSeparateFinancialStatementsAxis";
    public const string SeparateMember = "ifrs-full:SeparateMember";
    public const string ReportedIn = "ledger:" + FigureKey.ReservedDimension;
    public const string ConceptProperty = "ledger:concept";
    public const string PrintedProperty = "ledger:printed";
    public const string ScaleProperty = "ledger:scale";
    public const string LocationProperty = "ledger:location";
    public const string CitedByProperty = "ledger:citedBy";
    public const string CitedPublishedOnProperty = "ledger:citedPublishedOn";
    public const string RestatementProperty = "ledger:restatement";
    public const string Iso4217Namespace = "http://www.xbrl.org/2003/iso4217";
    public const string XbrliNamespace = "http://www.xbrl.org/2003/instance";
    public static readonly IReadOnlySet<string> CoreDimensions = new HashSet<string> { "concept", "entity", "period", "unit", "language" };

    public static JsonObject Write(string entity, string view, string? asOf, IEnumerable<ExportFact> facts, ConceptCatalog catalog,
        ReportContents? contents = null)
    {
        var written = new JsonObject();
        var n = 0;
        var prefixes = new SortedSet<string>(StringComparer.Ordinal);
        var documents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in facts)
        {
            var concept = ConceptName(f.Figure.Concept, catalog);
            prefixes.Add(concept[..concept.IndexOf(':')]);
            var dimensions = new JsonObject
            {
                ["concept"] = concept,
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
            // The stored id, where the name alone would be read back as another concept.
            if (ConceptFrom(concept, catalog) != f.Figure.Concept) fact[ConceptProperty] = f.Figure.Concept;
            if (f.Status == ExportFact.AsReported)
            {
                if (f.DocumentId is not null) documents.Add(f.DocumentId);
                if (f.Printed is not null) fact[PrintedProperty] = f.Printed;
                if (f.Scale is not null) fact[ScaleProperty] = f.Scale;
                if (StatementJson.LocationOf(f.Location) is { } location) fact[LocationProperty] = location;
                if (f.Restatement is { } r)
                {
                    documents.Add(r.RestatedFrom.Document.Id);
                    fact[RestatementProperty] = RestatementJson(r);
                }
                if (f.CitedBy is not null)
                {
                    documents.Add(f.CitedBy);
                    fact[CitedByProperty] = f.CitedBy;
                    if (f.PublishedOn is { } cited) fact[CitedPublishedOnProperty] = cited.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                }
            }
            written[$"f{++n}"] = fact;
        }
        var namespaces = new JsonObject
        {
            ["ifrs-full"] = IfrsNamespace,
            ["iso4217"] = Iso4217Namespace,
            ["xbrli"] = XbrliNamespace,
            ["ledger"] = LedgerNamespace,
            ["ticker"] = TickerScheme,
        };
        // Filings name elements of other taxonomies (us-gaap, dei, srt) without the release they come from, so the
        // ledger cannot say their namespace: each prefix gets a URN of its own, enough for OIM to resolve the names.
        foreach (var prefix in prefixes.Where(p => !namespaces.ContainsKey(p))) namespaces[prefix] = $"urn:ledger:taxonomy:{prefix}";
        var info = new JsonObject
        {
            ["documentType"] = DocumentType,
            // The IFRS elements resolve through this entry point; the ledger: extension has no published schema yet.
            ["taxonomy"] = new JsonArray(IfrsEntryPoint),
            ["namespaces"] = namespaces,
            ["ledger:view"] = view,
            ["ledger:asOf"] = asOf,
        };
        if (contents is not null)
        {
            info[ReportContents.EntityProperty] = contents.EntityJson();
            info[ReportContents.DocumentsProperty] = contents.DocumentsJson(documents);
        }
        return new JsonObject { ["documentInfo"] = info, ["facts"] = written };
    }

    /// <summary>
    /// <c>ledger:restatement</c>: the document it restates (<c>previouslyReportedIn</c>, with the date the restatement gave it,
    /// if any), the value as previously reported (<c>before</c>), the printed <c>adjustment</c>, the <c>reasons</c>, and the
    /// restated value itself (<c>after</c>) where the fact's value is another statement of the same document.
    /// </summary>
    private static JsonObject RestatementJson(ExportRestatement r)
    {
        var json = new JsonObject { ["previouslyReportedIn"] = r.RestatedFrom.Document.Id };
        if (r.RestatedFrom.Document.PublishedOn is { } published) json["previousPublishedOn"] = StatementJson.Day(published);
        json["before"] = StatementJson.Of(r.RestatedFrom.Value, r.RestatedFrom.Location);
        if (r.Restatement.Adjustment is { } adjustment) json["adjustment"] = StatementJson.Of(adjustment, null);
        json["reasons"] = new JsonArray(r.Restatement.Reasons.Select(reason =>
        {
            var item = new JsonObject { ["kind"] = reason.Kind };
            if (reason.PolicyChange is not null) item["policyChange"] = reason.PolicyChange;
            if (reason.Detail is not null) item["detail"] = reason.Detail;
            return (JsonNode)item;
        }).ToArray());
        if (!r.Shown) json["after"] = StatementJson.Of(r.Restatement.Value, r.Restatement.Location);
        if (r.Restatement.Note is not null) json["note"] = r.Restatement.Note;
        return json;
    }

    /// <summary>Reads an export back into figures and values: the inverse of <see cref="Write"/>.</summary>
    public static IReadOnlyList<ExportFact> Read(JsonElement report, ConceptCatalog? catalog = null)
    {
        catalog ??= ConceptCatalog.Default;
        var info = report.GetProperty("documentInfo");
        if (info.GetProperty("documentType").GetString() != DocumentType) throw new FormatException("not an xBRL-JSON report");
        var facts = new List<ExportFact>();
        foreach (var property in report.GetProperty("facts").EnumerateObject())
        {
            var fact = property.Value;
            var dims = fact.GetProperty("dimensions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var concept = fact.TryGetProperty(ConceptProperty, out var stored) ? stored.GetString()! : ConceptFrom(dims["concept"], catalog);
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
        catalog.TryGet(concept, out var c) && c.IfrsElement ? $"ifrs-full:{concept}"
        : ConceptCatalog.IsQualifiedName(concept) ? concept
        : $"ledger:{concept}";

    /// <summary>
    /// The ledger's concept for an element name: <c>ledger:X</c> is X; <c>ifrs-full:X</c> is the catalog's X where the
    /// catalog defines X as that IFRS element, else the element under its qualified name; any other element keeps its name.
    /// </summary>
    public static string ConceptFrom(string name, ConceptCatalog catalog)
    {
        var colon = name.IndexOf(':');
        if (colon < 0) return name;
        var (prefix, local) = (name[..colon], name[(colon + 1)..]);
        if (prefix == "ledger") return local;
        return prefix == "ifrs-full" && catalog.TryGet(local, out var c) && c.IfrsElement ? local : name;
    }

    /// <summary>OIM periods: a duration runs from the start of its first day to the start of the day after its last; an instant is the end of its day.</summary>
    public static string PeriodOf(Period p) => p.Type == PeriodType.Instant
        ? Midnight(p.End.AddDays(1))
        : $"{Midnight(p.Start)}/{Midnight(p.End.AddDays(1))}";

    /// <summary>The period as figures of a calendar-year entity are keyed (<c>FY2023</c>, or the explicit dates of another duration).</summary>
    public static Period PeriodFrom(string text) =>
        TryReadPeriod(text, out var start, out var end)
            ? start is { } s ? Period.CalendarPeriod(s, end) : Period.Instant(end)
            : throw new FormatException($"'{text}' is not an OIM period (2023-01-01T00:00:00/2024-01-01T00:00:00, or an instant 2024-01-01T00:00:00)");

    /// <summary>
    /// An OIM period as the ledger's days: a duration's first and last day (it ends at the start of the day after its
    /// last), or an instant's day (the end of the day before the midnight it names). Only midnights are days.
    /// </summary>
    public static bool TryReadPeriod(string? text, out DateOnly? start, out DateOnly end)
    {
        (start, end) = (null, default);
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Split('/');
        // The first midnight of the calendar ends no day.
        if (parts.Length > 2 || !TryMidnight(parts[^1], out var after) || after == DateOnly.MinValue) return false;
        end = after.AddDays(-1);
        if (parts.Length == 1) return true;
        if (!TryMidnight(parts[0], out var first) || first > end) return false;
        start = first;
        return true;
    }

    private static bool TryMidnight(string text, out DateOnly day)
    {
        // OIM writes dateTimes without a zone as a rule; a 'Z' says the same midnight.
        var t = text.EndsWith('Z') ? text[..^1] : text;
        var ok = DateTime.TryParseExact(t, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                 && time.TimeOfDay == TimeSpan.Zero;
        day = ok ? DateOnly.FromDateTime(time) : default;
        return ok;
    }

    public static string UnitOf(string unit) => unit switch
    {
        Units.Pure => "xbrli:pure",
        Units.Shares => "xbrli:shares",
        Units.Count => "ledger:count",
        _ when unit.EndsWith("/share", StringComparison.Ordinal) => $"iso4217:{unit[..^"/share".Length]}/xbrli:shares",
        // What a filing counts in (segment, company): no ISO currency, so the extension's.
        _ when Units.IsCountOfThings(unit) => $"ledger:{unit}",
        _ => $"iso4217:{unit}",
    };

    /// <summary>The ledger's unit for an OIM unit as <see cref="UnitOf"/> writes it, or null when it is none the ledger knows.</summary>
    public static string? TryUnitFrom(string unit) => unit switch
    {
        "xbrli:pure" => Units.Pure,
        "xbrli:shares" => Units.Shares,
        "ledger:count" => Units.Count,
        _ when unit.StartsWith("ledger:", StringComparison.Ordinal) && Units.IsCountOfThings(unit["ledger:".Length..]) => unit["ledger:".Length..],
        _ when unit.StartsWith("iso4217:", StringComparison.Ordinal) && unit.EndsWith("/xbrli:shares", StringComparison.Ordinal)
               && Units.IsCurrency(unit["iso4217:".Length..^"/xbrli:shares".Length]) => $"{unit["iso4217:".Length..^"/xbrli:shares".Length]}/share",
        _ when unit.StartsWith("iso4217:", StringComparison.Ordinal) && Units.IsCurrency(unit["iso4217:".Length..]) => unit["iso4217:".Length..],
        _ => null,
    };

    public static string UnitFrom(string unit) => TryUnitFrom(unit) ?? throw new FormatException($"'{unit}' is not a unit the ledger knows");

    private static string Midnight(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00";
}
