using System.Text;
using FluentAssertions;
using Ledger.Domain.Ingestion;

namespace Ledger.Tests.Domain;

public class PackageTextTests
{
    // Raw (unescaped) characters in a string value: plain ASCII, DEL and the C1 controls that no document prints, and the
    // characters beside them in UTF-8 (U+00A0 shares C1's lead byte 0xC2; U+00C2 is 0xC3 0x82) that documents do print.
    private static readonly string[] Alphabet = ["a", "1", " ", "\u007f", "\u0080", "\u0085", "\u009f", "\u00a0", "\u00c2", "é", "金", "人民幣", "😀", "\t"];

    [Fact]
    public void A_raw_string_is_refused_exactly_when_it_holds_a_character_no_document_prints()
    {
        var random = new Random(20261204);
        for (var i = 0; i < 5_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 6)).Select(_ => Alphabet[random.Next(Alphabet.Length)]));
            if (text.Contains('\t')) text = text.Replace("\t", "\\t"); // a raw tab is not JSON; escaped it is allowed text
            var errors = PackageText.Check(Encoding.UTF8.GetBytes($"{{\"document\":{{\"title\":\"{text}\"}}}}"));
            var forbidden = PackageText.FirstForbidden(text.Replace("\\t", "\t"), allowLineBreaks: true) is not null;
            errors.Should().HaveCount(forbidden ? 1 : 0, $"'{text}' {(forbidden ? "holds" : "holds no")} forbidden character");
            if (forbidden) errors[0].Path.Should().Be("$.document.title");
        }
    }

    [Theory]
    // Objects side by side at one depth (the check reuses what it keeps of each depth): names repeat across them freely,
    // a name given twice within one is refused, and each error names its own object.
    [InlineData("{\"facts\":[{\"a\":1,\"b\":2},{\"a\":1,\"b\":2},{\"a\":1}]}", new string[0])]
    [InlineData("{\"facts\":[{\"a\":1,\"b\":2},{\"a\":1,\"a\":2}]}", new[] { "$.facts[1].a" })]
    [InlineData("{\"facts\":[{\"a\":\"x\"},{\"b\":{\"c\":[1,\"\u007f\"]}},{\"d\":\"\u0085\"}]}", new[] { "$.facts[1].b.c[1]", "$.facts[2].d" })]
    [InlineData("{\"facts\":[[{\"a\":1}],[{\"a\":1,\"a\":1}]],\"a\":1}", new[] { "$.facts[1][0].a" })]
    // The package's own members are read whatever their case, so two spellings of one are refused there; deeper, names
    // are a dimension's or a language's, told apart by case.
    [InlineData("{\"facts\":[],\"document\":{},\"Facts\":[{\"dims\":{\"s\":\"a\",\"S\":\"b\"}}]}", new[] { "$.Facts" })]
    public void Each_object_is_checked_on_its_own_and_named_by_its_own_path(string json, string[] paths) =>
        PackageText.Check(Encoding.UTF8.GetBytes(json)).Select(e => e.Path).Should().Equal(paths);

    [Fact]
    public void A_string_of_bytes_that_are_not_UTF8_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"document\":{\"title\":\"ab\"}}").ToList();
        bytes.Insert(bytes.IndexOf((byte)'b'), 0xFF);
        var check = () => PackageText.Check(bytes.ToArray());
        check.Should().NotThrow().Which.Should().NotBeEmpty();
    }
}
