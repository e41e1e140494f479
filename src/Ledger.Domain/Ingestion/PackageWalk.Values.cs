using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Events;
using Ledger.Domain.Parsing;
using Ledger.Domain.Values;

namespace Ledger.Domain.Ingestion;

// The value a fact, a restatement or a reconciliation line states: printed (and parsed) or given in base units, and its sign.
internal sealed partial class PackageWalk
{
    private Statement? Value(IPackageValue v, string? defaultScale, string unit, string path)
    {
        var scale = v.Scale ?? defaultScale;
        if (v.Decimals is < -20 or > 20) { Error(path + ".decimals", "must be between -20 and 20"); return null; }
        Amount amount;
        if (v.Printed is not null)
        {
            if (v.Value is not null) { Error(path + ".value", "give either 'printed' or 'value', not both"); return null; }
            if (v.Exact == true) { Error(path + ".exact", "goes with 'value'; a printed value's precision is what it prints"); return null; }
            if (!PrintedNumber.TryParse(v.Printed, scale, out var parsed, out var error)) { Error(path + ".printed", error); return null; }
            if (parsed.CurrencyHint is { } hint && unit.Length > 0 && !unit.StartsWith(hint, StringComparison.Ordinal))
            { Error(path + ".printed", $"'{v.Printed}' is printed in {hint} but the unit is {unit}"); return null; }
            if (v.Decimals is not null && parsed.Value is not null && v.Decimals > parsed.Decimals)
            { Error(path + ".decimals", $"the printed value is precise to {parsed.Decimals} decimals, not {v.Decimals}"); return null; }
            amount = parsed.ToAmount(unit) with { Decimals = parsed.Value is null ? null : v.Decimals ?? parsed.Decimals };
        }
        else if (v.Value is { } element)
        {
            if (v.Exact == true && v.Decimals is not null) { Error(path + ".exact", "give either 'decimals' or 'exact', not both"); return null; }
            if (v.Decimals is null && v.Exact != true) { Error(path + ".decimals", "is required with 'value' (use 'printed' to have it derived, or 'exact': true for an exact value)"); return null; }
            var text = element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Number => element.GetRawText(),
                _ => null,
            };
            if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var exact))
            { Error(path + ".value", $"'{text ?? element.GetRawText()}' is not a decimal number in base units"); return null; }
            amount = Amount.Of(exact, unit, v.Decimals);
        }
        else { Error(path + ".printed", "a value is required: 'printed' (with 'scale') or 'value' (with 'decimals')"); return null; }

        switch (v.Sign)
        {
            case null or "as-printed": break;
            // The document prints a magnitude and says in words that it is a loss or a decrease.
            case "negative" when amount.Value is > 0: amount = amount with { Value = -amount.Value }; break;
            case "negative": break;
            default: Error(path + ".sign", "must be 'negative' or 'as-printed'"); return null;
        }
        if (v.Negated == true)
        {
            if (v.Sign is "negative") { Error(path + ".negated", "give either 'sign' or 'negated', not both"); return null; }
            if (amount.Value is { } n) amount = amount with { Value = -n };
        }
        return new Statement(amount, v.Printed, scale);
    }
}
