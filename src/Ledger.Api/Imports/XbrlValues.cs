using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Ledger.Domain.Parsing;
using Ledger.Domain.Values;

namespace Ledger.Api.Imports;

/// <summary>A value as a report states it: the number (null: nil) and its decimals (null: exact), and, from a ledger export, how it was printed.</summary>
public sealed record XbrlValue(decimal? Value, int? Decimals, NilKind Nil, bool Approximate, bool LowerBound, string? Printed, string? Scale);

/// <summary>
/// Values of a report as a package states them. A fact carries <c>value</c> and <c>decimals</c> as OIM does and the ledger's
/// own fields with the <c>ledger:</c> prefix; a statement inside a ledger property (a restatement's before, a policy
/// change's effect) carries them all unprefixed (<see cref="Exports.StatementJson"/>).
/// </summary>
public static class XbrlValues
{
    public static XbrlValue Read(JsonElement o, string prefix, Action<string, string> error)
    {
        int? decimals = null;
        if (o.TryGetProperty("decimals", out var d))
        {
            if (d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var dv) && dv is >= -20 and <= 20) decimals = dv;
            else error(".decimals", $"{d.GetRawText()} is not an integer between -20 and 20");
        }
        decimal? value = null;
        if (!o.TryGetProperty("value", out var v) || v.ValueKind == JsonValueKind.Null) { }
        else if (v.ValueKind != JsonValueKind.String) error(".value", "an xBRL-JSON value is a string or null");
        else if (decimal.TryParse(v.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                     CultureInfo.InvariantCulture, out var parsed)) value = parsed;
        else error(".value", $"'{v.GetString()}' is not a decimal number");
        return new XbrlValue(value, decimals, Text(o, prefix + "nil", error) == "not-applicable" ? NilKind.NotApplicable : NilKind.Nil,
            Flag(o, prefix + "approximate", error), Flag(o, prefix + "lowerBound", error), Text(o, prefix + "printed", error), Text(o, prefix + "scale", error));
    }

    public static string? Text(JsonElement o, string name, Action<string, string> error)
    {
        if (!o.TryGetProperty(name, out var p)) return null;
        if (p.ValueKind == JsonValueKind.String) return p.GetString();
        error($".{name}", "must be a string");
        return null;
    }

    private static bool Flag(JsonElement o, string name, Action<string, string> error)
    {
        if (!o.TryGetProperty(name, out var p)) return false;
        if (p.ValueKind is JsonValueKind.True or JsonValueKind.False) return p.GetBoolean();
        error($".{name}", "must be true or false");
        return false;
    }

    public static Location? Location(JsonElement o, string name, Action<string, string> error)
    {
        if (!o.TryGetProperty(name, out var l)) return null;
        Location? location = null;
        try { location = l.ValueKind == JsonValueKind.Object ? l.Deserialize<Location>(Ingestion.DisclosureIngestion.PackageJson) : null; }
        catch (JsonException) { location = null; }
        if (location is null) error($".{name}", "must be an object of page, section, table, row, column, line");
        return location;
    }

    /// <summary>
    /// The value as a package fact states it. The printed text of a ledger export where it reads as the same value (its
    /// sign given by <c>negated</c> where the document printed the opposite one); else a number in base units with its
    /// decimals, or <c>exact</c> without them. Nil, "approximately" and "more than" exist in packages only as printed text,
    /// so they are written so where the export gives no text of its own.
    /// </summary>
    public static PackageFact AsFact(XbrlValue x, string unit)
    {
        var fact = new PackageFact(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        if (x.Printed is not null && PrintedNumber.TryParse(x.Printed, x.Scale, out var p, out _)
            && (p.CurrencyHint is null || unit.StartsWith(p.CurrencyHint, StringComparison.Ordinal)))
        {
            if (x.Value is null && p.Value is null && (p.Nil ?? NilKind.Nil) == x.Nil)
                return fact with { Printed = x.Printed, Scale = x.Scale };
            if (x.Value is { } v && p.Value is { } pv && (pv == v || pv == -v) && x.Decimals is { } d && d <= p.Decimals
                && p.Approximate == x.Approximate && p.LowerBound == x.LowerBound)
                return fact with { Printed = x.Printed, Scale = x.Scale, Decimals = d, Negated = pv != v ? true : null };
        }
        if (x.Value is not { } number) return fact with { Printed = x.Nil == NilKind.NotApplicable ? "N/A" : "-" };
        if (x.Approximate || x.LowerBound)
            return fact with
            {
                Printed = $"{(x.LowerBound ? "more than " : "")}{(x.Approximate ? "approximately " : "")}{Plain(number, x.Decimals ?? 0)}",
                Decimals = x.Decimals,
            };
        var text = JsonSerializer.SerializeToElement(Amount.Format(number));
        return x.Decimals is null ? fact with { Value = text, Exact = true } : fact with { Value = text, Decimals = x.Decimals };
    }

    /// <summary>A restatement's before, after or adjustment, as a package states it (never exact: a package's restated values are not).</summary>
    public static PackageRestatedValue AsRestatedValue(XbrlValue x, string unit, Location? location)
    {
        var f = AsFact(x, unit);
        return new PackageRestatedValue(f.Printed, f.Value, f.Decimals, f.Scale, null, f.Negated, location);
    }

    /// <summary>The number with at least <paramref name="decimals"/> fraction digits, so that it reads as precise as it is.</summary>
    private static string Plain(decimal value, int decimals)
    {
        var text = Amount.Format(value);
        var digits = text.Contains('.') ? text.Length - text.IndexOf('.') - 1 : 0;
        return decimals <= digits ? text : text + (digits == 0 ? "." : "") + new string('0', decimals - digits);
    }
}
