using Ledger.Domain.Parsing;
using Ledger.Tests.Seeds;

namespace Ledger.Tests.Domain;

/// <summary>
/// The splitter on real lines of the seeds (004: ZWSOFT 2023 annual report). Each line is read from the seed text by
/// its number; the expected cells are written here, checked by eye against the printed statement.
/// </summary>
public class TableRowSplitterTests
{
    private const string Zwsoft = "004_766bdfec5c6b5b43.txt";

    private static string Line(int n) => SeedText.Line(Zwsoft, n);

    // The cross-foot of ZWSOFT's consolidated equity statement (15 columns): 小计 (12) is the sum of the owners'
    // components, 库存股 (5) deducted; 所有者权益合计 (14) is 小计 plus 少数股东权益 (13).
    private static bool CrossFoots(IReadOnlyList<string> cells)
    {
        decimal V(int i) => TableRowSplitter.Value(cells[i]) ?? 0m;
        var owners = Enumerable.Range(0, 12).Sum(i => i == 5 ? -V(i) : V(i));
        return owners == V(12) && V(12) + V(13) == V(14);
    }

    [Fact]
    public void Run_together_cells_split_by_the_documents_number_format()
    {
        // Line 5432: 递延所得税资产 as previously reported, the adjustment, and as restated.
        TableRowSplitter.Split(Line(5432), new(3)).Should().BeEquivalentTo(
            new TableRow("递延所得税资产", null, ["9,355,673.66", "3,478,315.66", "12,833,989.32"]), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Columns_with_their_own_decimals_split_each_cell_by_its_column()
    {
        // Line 8290: 美元 14,533,595.44 at 7.0827 is 102,937,096.41 yuan; the rate prints four decimals.
        TableRowSplitter.Split(Line(8290), new(3, ColumnFractionDigits: [2, 4, 2])).Should().BeEquivalentTo(
            new TableRow("其中:美元", null, ["14,533,595.44", "7.0827", "102,937,096.41"]), o => o.WithStrictOrdering());
        // Line 8293: 越南盾 at 0.0003.
        TableRowSplitter.Split(Line(8293), new(3, ColumnFractionDigits: [2, 4, 2])).Cells.Should().Equal("9,556,907,105.00", "0.0003", "2,809,730.69");
        // Line 8289: two nil cells, then the translated total.
        TableRowSplitter.Split(Line(8289), new(3, ColumnFractionDigits: [2, 4, 2])).Cells.Should().Equal("-", "-", "142,691,551.37");
        // Read with two decimals throughout, the rate's digits run into the next number and no reading gives three cells.
        var twoDecimals = () => TableRowSplitter.Split(Line(8290), new(3));
        twoDecimals.Should().Throw<FormatException>();
    }

    [Fact]
    public void Whole_number_columns_end_after_their_last_thousands_group_and_a_run_of_leading_digits_is_split_only_by_the_columns()
    {
        // Line 3418: 杜玉林 +12,450,855 shares to 43,346,676 (35.73%), 43,116,080 restricted, 0 pledged.
        TableRowSplitter.Split(Line(3418).Replace("境内自然人", ""), new(5, ColumnFractionDigits: [0, 0, 2, 0, 0])).Cells
            .Should().Equal("12,450,855", "43,346,676", "35.73", "43,116,080", "0");
        // Line 3420: 4,633,293 shares (3.82%), then 0 and 0 printed as 00.
        TableRowSplitter.Split(Line(3420).Replace("未知", ""), new(5, ColumnFractionDigits: [0, 0, 2, 0, 0])).Cells
            .Should().Equal("935,931", "4,633,293", "3.82", "0", "0");
        // Line 3318: a dash is a nil cell or a minus sign, and leading digits may split; seven readings give nine cells, and the
        // table's arithmetic (小计 = the four changes, 本次变动后 = 本次变动前 + 小计) leaves one.
        var digits = new[] { 0, 2, 0, 0, 0, 0, 0, 0, 2 };
        TableRowSplitter.Readings(Line(3318), new(9, ColumnFractionDigits: digits)).Should().HaveCount(7);
        decimal V(IReadOnlyList<string> c, int i) => TableRowSplitter.Value(c[i]) ?? 0m;
        TableRowSplitter.Split(Line(3318), new(9, ColumnFractionDigits: digits,
                Accept: c => V(c, 6) == V(c, 2) + V(c, 3) + V(c, 4) + V(c, 5) && V(c, 7) == V(c, 0) + V(c, 6))).Cells
            .Should().Equal("227,612", "0.26", "-", "-", "0", "-227,612", "-227,612", "-", "-");
        // Leading digits that fit two columns several ways are refused, not guessed: 123 as 1|23 or 12|3.
        var open = () => TableRowSplitter.Split("合计123", new(2, ColumnFractionDigits: [0, 0]));
        open.Should().Throw<FormatException>().WithMessage("2 readings*");
    }

    [Fact]
    public void A_dash_before_a_number_is_its_sign_when_the_columns_leave_no_room_for_a_nil_cell()
    {
        // Line 240: five columns (2023, 2022 adjusted, 2022 as reported, change, 2021), 不适用 in the change column.
        TableRowSplitter.Split(Line(240), new(5)).Should().BeEquivalentTo(
            new TableRow("归属于上市公司股东的扣除非经常性损益的净利润", null,
                ["-77,740,166.42", "-67,711,608.80", "-67,413,365.97", "不适用", "99,403,765.64"]), o => o.WithStrictOrdering());
        // Line 4128: 现金及现金等价物净增加额, both years negative.
        TableRowSplitter.Split(Line(4128), new(2)).Cells.Should().Equal("-493,361.50", "-26,945,310.09");
    }

    [Fact]
    public void A_dash_is_a_nil_cell_when_the_columns_need_one()
    {
        // Line 4169 (parent 筹资活动现金流入小计): nil in 2023, 9,821,070.00 in 2022.
        TableRowSplitter.Split(Line(4169), new(2)).Cells.Should().Equal("-", "9,821,070.00");
        // Line 4111: 163,240,769.16 in 2023, nil in 2022.
        TableRowSplitter.Split(Line(4111), new(2)).Cells.Should().Equal("163,240,769.16", "-");
        // Line 4126: both negative.
        TableRowSplitter.Split(Line(4126), new(2)).Cells.Should().Equal("-135,336,954.62", "-101,008,622.12");
    }

    [Fact]
    public void A_note_run_into_the_first_number_is_read_when_the_mapping_states_it()
    {
        // Line 3844: 盈余公积 cites note 七、59; the text runs it into 38,688,276.15.
        TableRowSplitter.Split(Line(3844), new(2, Note: "七、59")).Should().BeEquivalentTo(
            new TableRow("盈余公积", "七、59", ["38,688,276.15", "33,738,465.28"]), o => o.WithStrictOrdering());
        // Without it, 七、5 + 938,688,276.15 and 七、593 + 8,688,276.15 read as well: refused, with the readings.
        var unstated = () => TableRowSplitter.Split(Line(3844), new(2));
        unstated.Should().Throw<FormatException>().WithMessage("*3 readings*七、5*七、59*七、593*state the row's note*");
        // Line 3746: 货币资金 七、1 then 588,914,660.67.
        TableRowSplitter.Split(Line(3746), new(2, Note: "七、1")).Cells.Should().Equal("588,914,660.67", "486,985,062.76");
    }

    [Fact]
    public void A_note_closed_by_its_item_number_needs_no_help()
    {
        // Line 4087: 收到其他与经营活动有关的现金 七、78(1).
        TableRowSplitter.Split(Line(4087), new(2)).Should().BeEquivalentTo(
            new TableRow("收到其他与经营活动有关的现金", "七、78(1)", ["113,242,311.93", "56,762,093.87"]), o => o.WithStrictOrdering());
    }

    [Fact]
    public void The_rows_arithmetic_chooses_between_readings_the_dashes_leave_open()
    {
        // Line 4190, 上年年末余额 2023: nine numbers in fifteen columns and seven dashes; one dash is a sign. By count
        // alone five readings fit; only other comprehensive income at -1,257,888.20 cross-foots.
        TableRowSplitter.Readings(Line(4190), new(15)).Should().HaveCountGreaterThan(1);
        TableRowSplitter.Split(Line(4190), new(15, Accept: CrossFoots)).Cells.Should().Equal(
            "86,674,923.00", "-", "-", "-", "2,353,643,944.57", "27,341,979.24", "-1,257,888.20", "-", "33,768,993.87", "-",
            "265,060,912.69", "-", "2,710,548,906.69", "22,089,400.16", "2,732,638,306.85");
        // Line 4197, (二)所有者投入和减少资本 2023: the count alone decides.
        TableRowSplitter.Split(Line(4197), new(15)).Cells.Should().Equal(
            "-", "-", "-", "-", "-25,239,511.03", "21,058,043.99", "-", "-", "-", "-", "-", "-", "-46,297,555.02", "22,363,563.74", "-23,933,991.28");
    }

    [Fact]
    public void A_stray_dash_is_allowed_only_when_stated_and_the_arithmetic_then_decides()
    {
        // Line 4227, 本年期初余额 2022, prints four dashes after 实收资本 where line 4223 prints three: no reading fits
        // fifteen columns without dropping one.
        var strict = () => TableRowSplitter.Split(Line(4227), new(15, Accept: CrossFoots));
        strict.Should().Throw<FormatException>().WithMessage("no reading*15 cells*");
        TableRowSplitter.Split(Line(4227), new(15, StrayDashes: 1, Accept: CrossFoots)).Cells.Should().Equal(
            "61,943,857.00", "-", "-", "-", "2,397,086,996.72", "-", "-1,029,963.18", "-", "30,971,928.50", "-",
            "323,756,213.14", "-", "2,812,729,032.18", "-", "2,812,729,032.18");
    }

    [Fact]
    public void Rows_printing_fewer_cells_than_the_table_are_refused_unless_the_count_is_stated()
    {
        // Line 4121 (偿还债务支付的现金) prints the 2023 cell only.
        var two = () => TableRowSplitter.Split(Line(4121), new(2));
        two.Should().Throw<FormatException>().WithMessage("no reading*2 cells*5,000,000.00*");
        TableRowSplitter.Split(Line(4121), new(1)).Cells.Should().Equal("5,000,000.00");
        // Line 4240 (内部结转 2022) prints two of fifteen: 24,731,066.00 and -24,731,066.00.
        TableRowSplitter.Split(Line(4240), new(2)).Cells.Should().Equal("24,731,066.00", "-24,731,066.00");
    }

    [Theory]
    [InlineData("货币资金1,2345.00", "no decimal point after '1,234'")]
    [InlineData("货币资金12,345.6", "fewer than 2 decimals")]
    [InlineData("货币资金12345.00", "5 digits")]
    [InlineData("货币资金", "not a table row")]
    public void Text_outside_the_number_format_is_an_error_that_says_why(string line, string reason)
    {
        var split = () => TableRowSplitter.Split(line, new(1));
        split.Should().Throw<FormatException>().WithMessage($"*{reason}*");
    }

    [Fact]
    public void Headings_and_prose_have_no_cells()
    {
        TableRowSplitter.HasCells(Line(4074)).Should().BeFalse("一、经营活动产生的现金流量: is a heading");
        TableRowSplitter.HasCells(Line(4073)).Should().BeFalse("项目附注2023年度2022年度 is the column heading");
        TableRowSplitter.HasCells(Line(4076)).Should().BeTrue("客户存款和同业存放款项净增加额-- prints two nil cells");
    }
}
