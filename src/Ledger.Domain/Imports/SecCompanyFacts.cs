using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Concepts;
using Ledger.Domain.Ingestion;
using Ledger.Domain.Values;

namespace Ledger.Domain.Imports;

/// <summary>One filing of a company-facts file, as the disclosure package the ledger records it by.</summary>
public sealed record SecFiling(string Accession, string Form, DateOnly Filed, DisclosurePackage Package);

/// <summary>A company-facts file read: the company as the ledger names it, and its filings in filing order.</summary>
public sealed record SecCompany(string Entity, string Name, string Standard, string Currency, FiscalCalendar Calendar,
    int Facts, IReadOnlyList<SecFiling> Filings);

/// <summary>What the ledger already holds of the company, so that a newer file keys its figures as the older one did.</summary>
public sealed record KnownCompany(string Currency, FiscalCalendar Calendar);

/// <summary>
/// Reads the JSON the SEC serves for one company (https://data.sec.gov/api/xbrl/companyfacts/CIK##########.json): every
/// XBRL fact of every filing, grouped by taxonomy, concept and unit, each naming its filing (<c>accn</c>, <c>form</c>,
/// <c>filed</c>). Pure, and complete in its errors: anything wrong is reported by its JSON path, concept and accession.
/// <list type="bullet">
/// <item>The entity is <c>CIK</c> and the ten-digit CIK; each accession is one document <c>{entity}/{accn}</c>, published
/// on its filing date, its kind the form; an amendment names the filing it amends: the latest earlier filing of its base
/// form for the same fiscal year and period.</item>
/// <item>Concepts keep their qualified names (<c>us-gaap:Revenues</c>); <c>USD/shares</c> is the ledger's <c>USD/share</c>.
/// A fact in a unit other than the company's currency, its per-share form, shares or pure (COP beside USD, segment)
/// is keyed with a <c>unit</c> dimension, so that one concept stated in two units is two figures.</item>
/// <item>Periods: the company's fiscal calendar (the ledger's, or inferred from its annual reports' full years) names
/// durations (<see cref="FiscalCalendar.KeyOf"/>); decimals are inferred (<see cref="InferredPrecision"/>).</item>
/// </list>
/// </summary>
public static class SecCompanyFacts
{
    public const string UnitDimension = "unit";

    public static (SecCompany? Company, IReadOnlyList<PackageError> Errors) Read(JsonElement root, KnownCompany? known = null)
    {
        var errors = new List<PackageError>();
        if (root.ValueKind != JsonValueKind.Object) return (null, [new("$", "SEC company facts are a JSON object with cik, entityName and facts")]);
        var cik = Cik(root, errors);
        var name = root.TryGetProperty("entityName", out var n) && n.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(n.GetString())
            ? n.GetString()!.Trim() : null;
        if (name is null) errors.Add(new("$.entityName", "is required: the company's name as a string"));
        if (!root.TryGetProperty("facts", out var taxonomies) || taxonomies.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("$.facts", "is required: an object of taxonomies (us-gaap, ifrs-full, dei, …)"));
            return (null, errors);
        }
        if (errors.Count > 0) return (null, errors);
        var entity = $"CIK{cik}";

        var raw = new List<RawFact>();
        foreach (var taxonomy in taxonomies.EnumerateObject())
        {
            var tPath = $"$.facts.{taxonomy.Name}";
            if (taxonomy.Value.ValueKind != JsonValueKind.Object) { errors.Add(new(tPath, "must be an object of concepts")); continue; }
            foreach (var concept in taxonomy.Value.EnumerateObject())
            {
                var cPath = $"{tPath}.{concept.Name}";
                var qualified = $"{taxonomy.Name}:{concept.Name}";
                if (!ConceptCatalog.IsQualifiedName(qualified)) { errors.Add(new(cPath, $"'{qualified}' is not a taxonomy-qualified concept name")); continue; }
                if (concept.Value.ValueKind != JsonValueKind.Object || !concept.Value.TryGetProperty("units", out var units) || units.ValueKind != JsonValueKind.Object)
                { errors.Add(new(cPath + ".units", $"{qualified}: is required, an object of units")); continue; }
                var label = concept.Value.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
                foreach (var unit in units.EnumerateObject())
                {
                    var uPath = $"{cPath}.units.{unit.Name}";
                    if (unit.Value.ValueKind != JsonValueKind.Array) { errors.Add(new(uPath, $"{qualified}: must be an array of facts")); continue; }
                    var i = 0;
                    foreach (var fact in unit.Value.EnumerateArray())
                    {
                        if (ReadFact(fact, qualified, label, unit.Name, $"{uPath}[{i++}]", errors) is { } f) raw.Add(f);
                    }
                }
            }
        }
        if (raw.Count == 0 && errors.Count == 0) errors.Add(new("$.facts", "holds no facts"));
        if (errors.Count > 0) return (null, errors);

        var standard = taxonomies.TryGetProperty("ifrs-full", out _) ? "IFRS" : "US-GAAP";
        var currency = known?.Currency ?? raw.Where(f => Units.IsCurrency(f.Unit)).GroupBy(f => f.Unit)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault() ?? "USD";
        var calendar = known?.Calendar
            ?? FiscalCalendar.Infer(raw.Where(f => Filings.IsAnnual(f.Form) && f.Start is { } s && f.End.DayNumber - s.DayNumber is >= 350 and <= 380).Select(f => f.End))
            ?? FiscalCalendar.CalendarYear;

        var filings = new List<SecFiling>();
        var byAccession = raw.GroupBy(f => f.Accession, StringComparer.Ordinal)
            .Select(g => (Accession: g.Key, Facts: g.ToList(), Filed: g.Min(f => f.Filed), Form: g.First().Form))
            .OrderBy(g => g.Filed).ThenBy(g => g.Accession, StringComparer.Ordinal).ToList();
        var splits = ShareSplits.Infer(byAccession.Select(a => a.Facts));
        foreach (var (accession, facts, filed, form) in byAccession)
        {
            if (facts.Select(f => f.Form).Distinct().Count() > 1 || facts.Select(f => f.Filed).Distinct().Count() > 1)
            {
                errors.Add(new(facts[0].Path, $"accession {accession} is given more than one form or filing date ({string.Join(", ", facts.Select(f => $"{f.Form} {f.Filed:yyyy-MM-dd}").Distinct())})"));
                continue;
            }
            var amends = Filings.IsAmendment(form) ? Amended(accession, form, facts, byAccession) : null;
            var documentId = $"{entity}/{accession}";
            bool IsSplitAdjusted(RawFact f) => splits.TryGetValue(accession, out var split) && split.Before.ContainsKey(f);
            var package = new DisclosurePackage(
                new PackageDocument(documentId, entity, form, $"{form} filed {Day(filed)} (accession {accession})", "en", Day(filed),
                    $"https://www.sec.gov/Archives/edgar/data/{long.Parse(cik!, CultureInfo.InvariantCulture)}/{accession.Replace("-", "")}/",
                    amends is null ? null : $"{entity}/{amends}"),
                null,
                [new PackageEntity(entity, new Dictionary<string, string> { ["en"] = name! }, standard, currency,
                    calendar.IsCalendarYear ? null : calendar.ToString())],
                null, null, null,
                facts.Where(f => !IsSplitAdjusted(f)).Select(f => Fact(f, calendar, currency)).ToList(),
                facts.Where(IsSplitAdjusted).Select(f => SplitRestatement(f, splits[accession], entity, calendar, currency)).ToList(),
                null);
            filings.Add(new SecFiling(accession, form, filed, package));
        }
        return errors.Count > 0 ? (null, errors) : (new SecCompany(entity, name!, standard, currency, calendar, raw.Count, filings), errors);
    }

    internal sealed record RawFact(string Concept, string? Label, string Unit, DateOnly? Start, DateOnly End, decimal Value, JsonElement Number,
        string Accession, string Form, DateOnly Filed, int? FiscalYear, string? FiscalPeriod, string Path);

    /// <summary>The ledger's entity id of the company a file is about (<c>CIK0001640147</c>), or null when it names none.</summary>
    public static string? EntityOf(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && Cik(root, []) is { } cik ? $"CIK{cik}" : null;

    private static string? Cik(JsonElement root, List<PackageError> errors)
    {
        if (!root.TryGetProperty("cik", out var c)) { errors.Add(new("$.cik", "is required: the company's CIK, a number or a zero-padded string")); return null; }
        var text = c.ValueKind switch
        {
            JsonValueKind.Number => c.GetRawText(),
            JsonValueKind.String => c.GetString(),
            _ => null,
        };
        if (text is null || text.Length is 0 or > 10 || !text.All(char.IsAsciiDigit) || text.All(ch => ch == '0'))
        {
            errors.Add(new("$.cik", $"'{text ?? c.GetRawText()}' is not a CIK (up to ten digits)"));
            return null;
        }
        return text.PadLeft(10, '0');
    }

    private static RawFact? ReadFact(JsonElement fact, string concept, string? label, string unit, string path, List<PackageError> errors)
    {
        var accession = Text(fact, "accn");
        var where = $"{concept}{(accession is null ? "" : $" in accession {accession}")}";
        var before = errors.Count;
        void Error(string field, string message) => errors.Add(new($"{path}{(field.Length == 0 ? "" : "." + field)}", $"{where}: {message}"));

        if (fact.ValueKind != JsonValueKind.Object) { Error("", "a fact must be an object"); return null; }
        if (accession is null || accession.Length != 20 || accession[10] != '-' || accession[13] != '-' || !accession.Replace("-", "").All(char.IsAsciiDigit))
            Error("accn", $"'{accession}' is not an accession number (0001640147-24-000101)");
        var form = Text(fact, "form");
        if (!Filings.IsFiling(form)) Error("form", $"'{form}' is not an SEC form name ({string.Join(", ", Filings.Forms)}, …)");
        var filed = Date(fact, "filed", Error, required: true);
        var end = Date(fact, "end", Error, required: true);
        var start = Date(fact, "start", Error, required: false);
        if (start is { } s && end is { } e && e < s) Error("end", $"the period ends ({Day(e)}) before it starts ({Day(s)})");
        if (MapUnit(unit) is null) Error("", $"'{unit}' is not a unit the ledger knows (an ISO 4217 currency, CUR/shares, shares, pure, or a lower-case count such as segment)");
        decimal value = 0;
        if (!fact.TryGetProperty("val", out var val) || val.ValueKind != JsonValueKind.Number || !val.TryGetDecimal(out value))
            Error("val", "is required: a number");
        int? fy = fact.TryGetProperty("fy", out var fyElement) && fyElement.ValueKind == JsonValueKind.Number && fyElement.TryGetInt32(out var y) ? y : null;
        var fp = Text(fact, "fp");
        if (errors.Count > before) return null;
        return new RawFact(concept, label, unit, start, end!.Value, value, val.Clone(), accession!, form!, filed!.Value, fy, fp, path);
    }

    /// <summary>The ledger's unit for a company-facts unit, or null when it is none the ledger knows.</summary>
    public static string? MapUnit(string unit) => unit switch
    {
        "shares" => Units.Shares,
        "pure" => Units.Pure,
        _ when unit.EndsWith("/shares", StringComparison.Ordinal) && Units.IsCurrency(unit[..^"/shares".Length]) => $"{unit[..^"/shares".Length]}/share",
        _ when Units.IsCurrency(unit) || Units.IsCountOfThings(unit) => unit,
        _ => null,
    };

    private static PackageFact Fact(RawFact f, FiscalCalendar calendar, string currency)
    {
        var unit = MapUnit(f.Unit)!;
        var period = f.Start is { } start ? calendar.KeyOf(Period.Between(start, f.End)) : Period.Instant(f.End);
        var dims = unit is Units.Shares or Units.Pure || unit == currency || unit == $"{currency}/share"
            ? null
            : new Dictionary<string, string> { [UnitDimension] = unit };
        return new PackageFact(f.Concept, period.Id, null, null, dims, null, f.Number, InferredPrecision.DecimalsOf(f.Value), null, unit,
            null, null, new Events.Location(Row: f.Label), null);
    }

    /// <summary>A share count or per-share amount a split-adjusting filing states anew: a restatement from the earlier filing's value.</summary>
    private static PackageRestatement SplitRestatement(RawFact f, ShareSplits.Split split, string entity, FiscalCalendar calendar, string currency)
    {
        var now = Fact(f, calendar, currency);
        var before = split.Before[f];
        var location = new Events.Location(Row: f.Label);
        return new PackageRestatement(now.Concept, now.Period, null, null, now.Dims, now.Unit, null,
            new PackageRestatedValue(null, before.Number, InferredPrecision.DecimalsOf(before.Value), null, null, null, location),
            null,
            new PackageRestatedValue(null, f.Number, InferredPrecision.DecimalsOf(f.Value), null, null, null, location),
            $"{entity}/{before.Accession}", [new Events.RestatementReason(Events.RestatementReasons.ShareSplit, Detail: $"inferred, factor {ShareSplits.Text(split.Factor)}")],
            location, $"share split (inferred, factor {ShareSplits.Text(split.Factor)})");
    }

    /// <summary>
    /// The filing an amendment amends: the latest filed before it (or the same day) of its base form for the same fiscal
    /// year and period (company facts name no amended filing; these fields are all they give).
    /// </summary>
    private static string? Amended(string accession, string form, List<RawFact> facts,
        IReadOnlyList<(string Accession, List<RawFact> Facts, DateOnly Filed, string Form)> all)
    {
        var (fy, fp, filed) = (facts[0].FiscalYear, facts[0].FiscalPeriod, facts.Min(f => f.Filed));
        return all.Where(a => a.Accession != accession && a.Form == Filings.BaseForm(form) && a.Filed <= filed
                && a.Facts[0].FiscalYear == fy && a.Facts[0].FiscalPeriod == fp)
            .OrderByDescending(a => a.Filed).ThenByDescending(a => a.Accession, StringComparer.Ordinal)
            .Select(a => a.Accession).FirstOrDefault();
    }

    private static string? Text(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateOnly? Date(JsonElement o, string name, Action<string, string> error, bool required)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required) error(name, "is required (yyyy-MM-dd)");
            return null;
        }
        if (v.ValueKind == JsonValueKind.String && DateOnly.TryParseExact(v.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        error(name, $"'{(v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())}' is not a date (yyyy-MM-dd)");
        return null;
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
