using System.Globalization;
using System.Text.Json.Serialization;

namespace Ledger.Domain.Values;

/// <summary>Why a printed cell holds no number.</summary>
public enum NilKind
{
    /// <summary>A dash: nothing to report (nil).</summary>
    Nil,
    /// <summary>不适用 / 不適用 / N/A: the measure does not apply.</summary>
    NotApplicable,
}

/// <summary>
/// A reported value: an exact decimal in base units (yuan, dollars, shares, pure ratio) with its unit and
/// its XBRL <c>decimals</c> (2 = to the cent, -3 = to the thousand; <c>null</c> = exact, XBRL's INF),
/// or a nil cell. It never passes through binary floating point. <see cref="LowerBound"/>: the document prints
/// "more than" (超過), so the value is a floor and the figure lies anywhere above it.
/// </summary>
public sealed record Amount(
    decimal? Value, string Unit, int? Decimals, NilKind? Nil = null, bool Approximate = false,
    // Left out when false, so that an amount stored before bounds existed serializes as it did (packages compare by it).
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool LowerBound = false)
{
    [JsonIgnore] public bool IsNil => Value is null;

    public static Amount Of(decimal value, string unit, int? decimals, bool approximate = false) =>
        new(value, unit, decimals, null, approximate);

    public static Amount NilOf(NilKind kind, string unit) => new(null, unit, null, kind);

    /// <summary>The interval the value stands for at its decimals (XBRL Calculations 1.1).</summary>
    public (decimal Low, decimal High) Interval()
    {
        if (Value is not { } v) throw new InvalidOperationException("A nil value has no interval.");
        var half = Decimals is { } d ? HalfUnitAt(d) : 0m;
        return (v - half, LowerBound ? decimal.MaxValue : v + half);
    }

    public static decimal HalfUnitAt(int decimals) => 0.5m * PowerOfTen(-decimals);

    /// <summary>10^exponent as an exact decimal.</summary>
    public static decimal PowerOfTen(int exponent)
    {
        var r = 1m;
        if (exponent >= 0) { for (var i = 0; i < exponent; i++) r *= 10m; }
        else { for (var i = 0; i < -exponent; i++) r /= 10m; }
        return r;
    }

    /// <summary>The value as an invariant decimal string without trailing zeros past its decimals.</summary>
    [JsonIgnore] public string? ValueText => Value is { } v ? Format(v) : null;

    public static string Format(decimal v) => v.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>True when both are the same value within what the coarser of the two decimals allows.</summary>
    public bool AgreesWith(Amount other)
    {
        if (IsNil || other.IsNil) return IsNil && other.IsNil;
        if (Unit != other.Unit) return false;
        var (l1, h1) = Interval();
        var (l2, h2) = other.Interval();
        return l1 <= h2 && l2 <= h1;
    }

    public override string ToString() => IsNil ? $"{Nil} {Unit}" : $"{(LowerBound ? "more than " : "")}{ValueText} {Unit} (decimals {(Decimals?.ToString(CultureInfo.InvariantCulture) ?? "INF")})";
}
