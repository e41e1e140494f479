namespace Ledger.Domain.Values;

/// <summary>
/// Strings in Unicode code point order: the order of PostgreSQL's <c>COLLATE "C"</c> on UTF-8, by which figure keys are
/// paged, so that keys sorted here and keys sorted by the database agree.
/// </summary>
public sealed class CodePointOrder : IComparer<string>
{
    public static readonly CodePointOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        // UTF-16 order is code point order except where a surrogate (half of a code point above U+FFFF) meets a code unit
        // from U+E000 up: at the first difference those two ranges are swapped (ICU's code point order fix-up). Compared
        // this way, not rune by rune: every read of figures sorts its keys.
        var at = x.AsSpan().CommonPrefixLength(y);
        if (at == x.Length || at == y.Length) return x.Length.CompareTo(y.Length);
        int a = x[at], b = y[at];
        if (a >= 0xD800 && b >= 0xD800) (a, b) = (Fixed(a), Fixed(b));
        return a.CompareTo(b);
    }

    private static int Fixed(int unit) => unit >= 0xE000 ? unit - 0x800 : unit + 0x2000;
}
