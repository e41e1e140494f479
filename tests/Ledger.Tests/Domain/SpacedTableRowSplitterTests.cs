using Ledger.Domain.Parsing;
using Ledger.Tests.Seeds;

namespace Ledger.Tests.Domain;

/// <summary>
/// The splitter on tables that print their cells apart (003: SenseTime 2023 annual results, RMB thousands, parentheses
/// for negatives, en dashes for nil). Each line is read from the seed text by its number; the expected cells are
/// written here, checked by eye against the printed table.
/// </summary>
public class SpacedTableRowSplitterTests
{
    private const string SenseTime = "003_bbffb2fef796343d.txt";

    private static string Line(int n) => SeedText.Line(SenseTime, n);

    // Labels come back normalised as the run-together splitter normalises them: full-width parentheses are ASCII.

    [Fact]
    public void Cells_apart_keep_their_parentheses_and_dashes()
    {
        // Line 1817: PP&E accumulated depreciation at 2023-01-01, nine columns, construction in progress nil.
        TableRowSplitter.SplitSpaced(Line(1817), new(9)).Should().BeEquivalentTo(
            new TableRow("累計折舊", null, ["(146,898)", "(192,468)", "(961,027)", "(372,693)", "(23,577)", "(25,149)", "(5,490)", "-", "(1,727,302)"]),
            o => o.WithStrictOrdering());
        // Line 1124: the equity statement's opening balance; share capital prints 5 (thousand), a cell like any other.
        TableRowSplitter.SplitSpaced(Line(1124), new(7)).Cells.Should().Equal("5", "71,248,900", "3,915,328", "(46,194,009)", "28,970,224", "43,636", "29,013,860");
        TableRowSplitter.LabelOf(Line(1124), CellFormat.Spaced).Should().Be("於2023年1月1日");
    }

    [Fact]
    public void A_note_printed_before_the_cells_is_taken_out_only_when_the_mapping_states_it()
    {
        // Line 991: 每股基本及攤薄虧損（人民幣元） 8 (0.20) (0.19): two columns and the note 8.
        var unstated = () => TableRowSplitter.SplitSpaced(Line(991), new(2));
        unstated.Should().Throw<FormatException>().WithMessage("*prints 3 cells*table has 2 columns*state the row's note*");
        TableRowSplitter.SplitSpaced(Line(991), new(2, Note: "8")).Should().BeEquivalentTo(
            new TableRow("每股基本及攤薄虧損(人民幣元)", "8", ["(0.20)", "(0.19)"]), o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_row_that_fails_its_check_is_refused()
    {
        // Line 1828: depreciation by class adds to the total (900,163); a check that the first eight add to the ninth holds.
        static bool Foots(IReadOnlyList<string> c) => Enumerable.Range(0, 8).Sum(i => TableRowSplitter.SpacedValue(c[i]) ?? 0m) == TableRowSplitter.SpacedValue(c[8]);
        TableRowSplitter.SplitSpaced(Line(1828), new(9, Accept: Foots)).Cells[8].Should().Be("(900,163)");
        var wrong = () => TableRowSplitter.SplitSpaced(Line(1828), new(9, Accept: c => TableRowSplitter.SpacedValue(c[8]) == -900_164m));
        wrong.Should().Throw<FormatException>().WithMessage("*do not pass its check*");
    }

    [Theory]
    [InlineData("(6,440,159)", -6440159)]
    [InlineData("211,833", 211833)]
    [InlineData("(0.20)", -0.20)]
    [InlineData("-10.6%", -10.6)]
    [InlineData("(9.4)%", -9.4)]
    public void Cell_values(string cell, double expected) =>
        TableRowSplitter.SpacedValue(cell).Should().Be((decimal)expected);

    [Theory]
    [InlineData("-")]
    [InlineData("*")]
    [InlineData("(*)")]
    public void Nil_and_star_cells_have_no_value(string cell) => TableRowSplitter.SpacedValue(cell).Should().BeNull();

    [Fact]
    public void Years_and_unseparated_numbers_are_not_cells()
    {
        TableRowSplitter.HasCells("2023年 2022年", CellFormat.Spaced).Should().BeFalse();
        TableRowSplitter.HasCells("人民幣千元 人民幣千元", CellFormat.Spaced).Should().BeFalse();
        // 12345 has no thousands separator: not a cell, so the row below has one cell, not two, and two are refused.
        var split = () => TableRowSplitter.SplitSpaced("收入 12345 6,789", new(2));
        split.Should().Throw<FormatException>().WithMessage("*prints 1 cells*");
    }
}
