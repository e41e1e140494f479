using System.Text;
using FluentAssertions;
using Ledger.Domain.Values;

namespace Ledger.Tests.Domain;

public class CodePointOrderTests
{
    // Characters from each range the UTF-16 fix-up tells apart: ASCII, the rest of the BMP below the surrogates, the BMP
    // above them (U+E000 up: private use, fullwidth forms, U+FFFD) and code points above U+FFFF (surrogate pairs).
    private static readonly string[] Alphabet = ["A", "a", "|", "é", "金", "\uD7FF", "\uE000", "\uFF5E", "\uFFFD", "😀", "𠀀", "\U0010FFFF"];

    [Fact]
    public void Strings_sort_as_PostgreSQL_sorts_them_under_COLLATE_C_on_UTF8_by_their_bytes()
    {
        var random = new Random(20261203);
        for (var i = 0; i < 20_000; i++)
        {
            var (x, y) = (Word(random), Word(random));
            var expected = Math.Sign(Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)));
            Math.Sign(CodePointOrder.Instance.Compare(x, y)).Should().Be(expected, $"'{x}' against '{y}'");
        }
    }

    [Fact]
    public void A_code_point_above_U_FFFF_sorts_after_the_top_of_the_BMP_where_UTF16_order_puts_it_before()
    {
        string.CompareOrdinal("😀", "\uFF5E").Should().BeNegative();
        CodePointOrder.Instance.Compare("😀", "\uFF5E").Should().BePositive();
        CodePointOrder.Instance.Compare("a", "ab").Should().BeNegative();
        CodePointOrder.Instance.Compare("金|x", "金|x").Should().Be(0);
    }

    private static string Word(Random random)
    {
        var sb = new StringBuilder();
        for (var n = random.Next(0, 5); n > 0; n--) sb.Append(Alphabet[random.Next(Alphabet.Length)]);
        return sb.ToString();
    }
}
