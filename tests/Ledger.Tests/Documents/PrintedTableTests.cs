using System.Net;
using System.Text.Json;
using Ledger.Tests.Infrastructure;
using Ledger.Tests.Seeds;

namespace Ledger.Tests.Documents;

/// <summary>
/// A document's tables laid out as printed: ZWSOFT's 2023 annual report (seed 004) shows its four statements, consolidated
/// and parent, with both years' columns, and the statement of changes in equity as its grid of rows and equity columns.
/// Every value asserted here is also found on its line of the seed text.
/// </summary>
[Collection(LedgerCollection.Name)]
public class PrintedTableTests(LedgerApp app)
{
    private const string Source = "004_766bdfec5c6b5b43.txt";
    private const string Report = "/api/entities/688083.SH/documents/AR2023";

    [Fact]
    public async Task The_annual_report_lists_its_four_statements_consolidated_and_parent_in_printed_order()
    {
        var tables = (await app.GetJsonAsync($"{Report}/tables")).EnumerateArray().ToList();
        var titles = tables.Select(t => t.GetProperty("title").GetString()!).ToList();
        string[] statements =
        [
            "合并资产负债表", "母公司资产负债表", "合并利润表", "母公司利润表", "合并现金流量表", "母公司现金流量表",
            "合并所有者权益变动表 2023年1—12月 单位:元 币种:人民币 (2023年度)", "合并所有者权益变动表 2023年1—12月 单位:元 币种:人民币 (2022年度)",
            "母公司所有者权益变动表 2023年1—12月 单位:元 币种:人民币 (2023年度)", "母公司所有者权益变动表 2023年1—12月 单位:元 币种:人民币 (2022年度)",
        ];
        var at = statements.Select(s => titles.FindIndex(t => t.StartsWith(s, StringComparison.Ordinal))).ToList();
        at.Should().NotContain(-1).And.BeInAscendingOrder("the statements follow each other as printed (seed 004 lines 3740–4322)");
        tables.Select(t => t.GetProperty("id").GetString()).Should().OnlyHaveUniqueItems();
        tables[at[0]].GetProperty("id").GetString().Should().Be("3746");
    }

    [Fact]
    public async Task The_balance_sheet_prints_both_year_ends_in_its_columns()
    {
        var sheet = await app.GetJsonAsync($"{Report}/tables/3746");
        sheet.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).Should().Equal("2023年12月31日", "2022年12月31日");
        var cash = Row(sheet, 3746);
        cash.GetProperty("label").GetString().Should().Be("货币资金");
        Printed(cash).Should().Equal("588,914,660.67", "486,985,062.76");
        SeedText.Line(Source, 3746).Should().Contain("588,914,660.67486,985,062.76");
    }

    [Fact]
    public async Task The_equity_statement_is_a_grid_whose_opening_row_cites_the_2022_report_and_marks_what_the_policy_change_restated()
    {
        var grid = await app.GetJsonAsync($"{Report}/tables/4190");
        grid.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).Should().StartWith(["实收资本(或股本)", "资本公积", "减:库存股"])
            .And.EndWith(["归属于母公司所有者权益 小计", "少数股东权益", "所有者权益合计"]);

        // 一、上年年末余额 (line 4190): the 2022 report's year-end balances, cited; surplus reserve 33,768,993.87 became
        // 33,738,465.28 after 加:会计政策变更 (line 4191, -30,528.59) in 二、本年期初余额 (line 4194).
        var lastYearEnd = Row(grid, 4190);
        var reserve = lastYearEnd.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("column").GetString() == "盈余公积");
        reserve.GetProperty("printed").GetString().Should().Be("33,768,993.87");
        reserve.GetProperty("previouslyReportedIn").GetString().Should().Be("688083.SH/AR2022");
        reserve.GetProperty("current").GetProperty("value").GetString().Should().Be("33738465.28");
        Cell(Row(grid, 4191), "盈余公积").GetProperty("printed").GetString().Should().Be("-30,528.59");
        Cell(Row(grid, 4194), "盈余公积").GetProperty("printed").GetString().Should().Be("33,738,465.28");
        Cell(Row(grid, 4194), "所有者权益合计").GetProperty("printed").GetString().Should().Be("2,732,712,392.70");
        Row(grid, 4194).GetProperty("cells").EnumerateArray().Count(c => c.GetProperty("column").GetString() == "所有者权益合计")
            .Should().Be(1, "a cell the package states as a fact and as a restatement's value is one printed cell");
        SeedText.Line(Source, 4190).Should().Contain("33,768,993.87");
        SeedText.Line(Source, 4191).Should().Contain("30,528.59");
        SeedText.Line(Source, 4194).Should().Contain("33,738,465.28").And.EndWith("2,732,712,392.70");
    }

    [Fact]
    public async Task A_value_printed_in_万元_that_the_yuan_figure_rounds_to_is_not_marked_as_changed()
    {
        // Line 7688 (营业收入扣除情况表, 单位:万元): revenue 82,759.03 万元, the 827,590,280.49 yuan of line 237 rounded.
        var table = await app.GetJsonAsync($"{Report}/tables/7688");
        var revenue = Cell(Row(table, 7688), "本年度");
        revenue.GetProperty("printed").GetString().Should().Be("82,759.03");
        revenue.TryGetProperty("current", out var current).Should().BeFalse($"nothing restated it, but current was {current}");
        SeedText.Line(Source, 7688).Should().Contain("82,759.03");
        SeedText.Line(Source, 237).Should().Contain("827,590,280.49");
    }

    [Fact]
    public async Task A_title_printed_again_in_another_section_is_another_table()
    {
        // "单位:万元 币种:人民币" heads the directors' pay (第四节, lines 1788-1790) and the cash management of idle raised
        // funds (第六节, lines 3235-3236): two tables, each with its own section and lines.
        var tables = (await app.GetJsonAsync($"{Report}/tables")).EnumerateArray()
            .Where(t => t.GetProperty("title").GetString()!.StartsWith("单位:万元 币种:人民币", StringComparison.Ordinal)).ToList();
        tables.Should().HaveCountGreaterThanOrEqualTo(2);
        var pay = tables.Single(t => t.GetProperty("firstLine").GetInt32() == 1788);
        pay.GetProperty("lastLine").GetInt32().Should().Be(1790);
        pay.GetProperty("section").GetString().Should().StartWith("第四节");
        tables.Single(t => t.GetProperty("firstLine").GetInt32() == 3235).GetProperty("section").GetString().Should().StartWith("第六节");
    }

    [Theory]
    [InlineData("/api/entities/688083.SH/documents/AR1999/tables")]
    [InlineData("/api/entities/688083.SH/documents/AR2023/tables/1")]
    [InlineData("/api/entities/NOPE.XX/documents/AR2023/tables/3746")]
    public async Task An_unknown_document_or_table_is_a_404_problem(string url)
    {
        var response = await app.Client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    private static JsonElement Row(JsonElement table, int line) =>
        table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("line").GetInt32() == line);

    private static JsonElement Cell(JsonElement row, string column) =>
        row.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("column").GetString() == column);

    private static IEnumerable<string?> Printed(JsonElement row) => row.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("printed").GetString());
}
