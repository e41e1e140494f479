namespace Ledger.Domain.Imports;

/// <summary>
/// The precision of a value stated without <c>decimals</c> (SEC company facts), inferred from the value as stated: an
/// integer is taken as rounded to its last non-zero digit (65,695,000 → −3, to the thousand; 66,000,000 → −6), a
/// fraction as exact to its last digit (0.11 → 2), zero as exact to the unit (0). This is the coarsest precision the
/// value is consistent with, so two statements of one figure are taken to agree (a re-presentation) whenever their
/// roundings could (XBRL Calculations 1.1 intervals overlap), and to differ (a restatement) only when no rounding
/// explains the difference.
/// </summary>
public static class InferredPrecision
{
    public static int DecimalsOf(decimal value)
    {
        if (value == 0) return 0;
        // Dividing by 1.000… drops the trailing zeros of the fraction (12.50 → 12.5): what counts is the value, not its scale.
        var normal = value / 1.000000000000000000000000000000000m;
        var scale = (decimal.GetBits(normal)[3] >> 16) & 0xFF;
        if (scale > 0) return scale;
        var decimals = 0;
        var integer = decimal.Truncate(Math.Abs(normal));
        while (integer % 10 == 0) { integer /= 10; decimals--; }
        return decimals;
    }
}
