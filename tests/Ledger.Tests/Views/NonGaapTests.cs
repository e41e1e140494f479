using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Views;

[Collection(LedgerCollection.Name)]
public class NonGaapTests(LedgerApp app)
{
    /// <summary>
    /// Every reconciliation in the seed packages, written out: the sum of its printed lines (worked out by hand from
    /// the seed text, in base units), the verdict on that sum against the printed total, the verdict on its GAAP
    /// starting figure against the same document's own statement of it (Kingsoft Cloud prints both in RMB thousands:
    /// equal; SenseTime's bridges are in millions against statements in thousands: within rounding), and for a US$
    /// column the verdict on the total against RMB ÷ 7.2993: exact where the quotient rounds to the printed value
    /// (594,292 ÷ 7.2993 = 81,417.67 → 81,418), within rounding where it is less than a unit off (1,357,794 ÷ 7.2993 =
    /// 186,017.02, printed 186,018).
    /// </summary>
    public static TheoryData<string, string, string, string, string, string, string, string?> SeedReconciliations() => new()
    {
        // seed 002 (RMB thousands; US$ thousands at 7.2993)
        { "3896.HK", "AdjustedGrossProfit", "FY2023", "", "859926000", "consistent", "consistent", null },
        { "3896.HK", "AdjustedGrossProfit", "FY2024", "", "1357794000", "consistent", "consistent", null },
        { "3896.HK", "AdjustedGrossProfit", "FY2024", "translation=USD", "186018000", "consistent", "consistent", "consistent-within-rounding" },
        { "3896.HK", "AdjustedNetLoss", "FY2023", "", "-1291121000", "consistent", "consistent", null },
        { "3896.HK", "AdjustedNetLoss", "FY2024", "", "-825346000", "consistent", "consistent", null },
        { "3896.HK", "AdjustedNetLoss", "FY2024", "translation=USD", "-113071000", "consistent", "consistent", "consistent-within-rounding" },
        { "3896.HK", "AdjustedEbitda", "FY2023", "", "-265064000", "consistent", "consistent", null },
        { "3896.HK", "AdjustedEbitda", "FY2024", "", "638917000", "consistent", "consistent", null },
        { "3896.HK", "AdjustedEbitda", "FY2024", "translation=USD", "87532000", "consistent", "consistent", "consistent-within-rounding" },
        { "3896.HK", "NormalizedAdjustedEbitda", "FY2023", "", "-242068000", "consistent", "consistent", null },
        { "3896.HK", "NormalizedAdjustedEbitda", "FY2024", "", "594292000", "consistent", "consistent", null },
        { "3896.HK", "NormalizedAdjustedEbitda", "FY2024", "translation=USD", "81418000", "consistent", "consistent", "consistent" },
        { "3896.HK", "AdjustedOperatingLoss", "FY2023", "", "-1092777000", "consistent", "consistent", null },
        { "3896.HK", "AdjustedOperatingLoss", "FY2024", "", "-431349000", "consistent", "consistent", null },
        { "3896.HK", "AdjustedOperatingLoss", "FY2024", "translation=USD", "-59094000", "consistent", "consistent", "consistent-within-rounding" },
        { "3896.HK", "NormalizedAdjustedOperatingLoss", "FY2023", "", "-1069781000", "consistent", "consistent", null },
        { "3896.HK", "NormalizedAdjustedOperatingLoss", "FY2024", "", "-475974000", "consistent", "consistent", null },
        { "3896.HK", "NormalizedAdjustedOperatingLoss", "FY2024", "translation=USD", "-65208000", "consistent", "consistent", "consistent" },
        // seed 003 (RMB millions; the statements print thousands, e.g. loss before tax (6,504,162) against (6,504.2))
        { "0020.HK", "Ebitda", "FY2023", "", "-5449600000", "consistent", "consistent-within-rounding", null },
        { "0020.HK", "AdjustedEbitda", "FY2023", "", "-4369100000", "consistent-within-rounding", "consistent-within-rounding", null },
        { "0020.HK", "AdjustedNetLoss", "FY2023", "", "-5414200000", "consistent-within-rounding", "consistent-within-rounding", null },
        { "0020.HK", "Ebitda", "FY2022", "", "-5570200000", "consistent", "consistent-within-rounding", null },
        { "0020.HK", "AdjustedEbitda", "FY2022", "", "-4213400000", "consistent", "consistent-within-rounding", null },
        { "0020.HK", "AdjustedNetLoss", "FY2022", "", "-4736200000", "consistent", "consistent-within-rounding", null },
    };

    [Fact]
    public void The_written_out_list_covers_every_reconciliation_in_the_seed_packages()
    {
        var inPackages = new[] { "3896.HK-PR2024.json", "0020.HK-AR2023.json" }
            .SelectMany(file => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seeds", file)))!["nonGaapReconciliations"]!.AsArray()
                .Select(r => $"{r!["measure"]}|{r["period"]}|{(r["dims"] is JsonObject d ? string.Join(";", d.Select(kv => $"{kv.Key}={kv.Value}")) : "")}"));
        SeedReconciliations().Select(row => $"{row[1]}|{row[2]}|{row[3]}").Should().BeEquivalentTo(inPackages);
    }

    [Theory]
    [MemberData(nameof(SeedReconciliations))]
    public async Task Every_seed_reconciliation_has_its_recomputed_total_and_verdicts(string entity, string measure, string period, string dims,
        string recomputed, string verdict, string startVerdict, string? translationVerdict)
    {
        var view = await app.GetJsonAsync($"/api/entities/{entity}/non-gaap/{measure}/{period}");
        var entry = view.GetProperty("reconciliations").EnumerateArray().Single(r => r.GetProperty("dimensions").GetString() == dims);
        entry.GetProperty("recomputedTotal").GetString().Should().Be(recomputed);
        entry.GetProperty("verdict").GetString().Should().Be(verdict);
        entry.GetProperty("startAgainstLedger").GetProperty("verdict").GetString().Should().Be(startVerdict);
        var translated = entry.GetProperty("total").TryGetProperty("translation", out var translation) && translation.ValueKind != JsonValueKind.Null;
        if (translationVerdict is null) translated.Should().BeFalse("only a translated column is checked against the rate");
        else translation.GetProperty("verdict").GetString().Should().Be(translationVerdict);
    }

    [Fact]
    public async Task A_bridge_that_does_not_add_up_and_starts_from_a_figure_the_ledger_holds_otherwise_is_inconsistent_twice()
    {
        // Made up, RMB thousands: the document states net loss (1,000) but starts its bridge from (1,200);
        // (1,200) + 100 = (1,100), while the printed total is (1,150): 50 thousand apart, beyond any rounding.
        var package = MadeUp.Package("NG.BAD", "AR2023", "2024-03-01", MadeUp.Fact("ProfitLoss", "FY2023", "(1,000)", scale: "thousands"));
        package["nonGaapReconciliations"] = new JsonArray(new JsonObject
        {
            ["measure"] = "AdjustedNetLoss", ["period"] = "FY2023", ["unit"] = "CNY", ["scale"] = "thousands", ["dims"] = new JsonObject(),
            ["start"] = new JsonObject { ["concept"] = "ProfitLoss", ["label"] = "Net loss", ["printed"] = "(1,200)" },
            ["adjustments"] = new JsonArray(new JsonObject { ["label"] = "Share-based compensation", ["concept"] = "ShareBasedPaymentExpense", ["printed"] = "100" }),
            ["total"] = new JsonObject { ["label"] = "Adjusted net loss", ["printed"] = "(1,150)" },
            ["location"] = new JsonObject { ["table"] = "Made-up bridge" },
        });
        var response = await app.PostPackageAsync(package.Json());
        response.StatusCode.Should().BeOneOf([System.Net.HttpStatusCode.Created, System.Net.HttpStatusCode.OK], "a failed check never blocks recording");

        var entry = (await app.GetJsonAsync("/api/entities/NG.BAD/non-gaap/AdjustedNetLoss/FY2023")).GetProperty("reconciliations").EnumerateArray().Single();
        entry.GetProperty("recomputedTotal").GetString().Should().Be("-1100000");
        entry.GetProperty("reportedTotal").GetString().Should().Be("-1150000");
        entry.GetProperty("verdict").GetString().Should().Be("inconsistent");
        entry.GetProperty("difference").GetString().Should().Be("50000");
        var start = entry.GetProperty("startAgainstLedger");
        start.GetProperty("verdict").GetString().Should().Be("inconsistent", "the ledger holds the net loss as (1,000) thousand");
        start.GetProperty("expected").GetString().Should().Be("-1000000");
    }

    [Theory]
    // seed 003 lines 628-642 (RMB millions): (5,449.6) + 32.1 + 324.0 + 724.4 = (4,369.1), printed (4,369.0)
    [InlineData("0020.HK", "AdjustedEbitda", "FY2023", "-4369100000", "-4369000000", "consistent-within-rounding")]
    // seed 003 lines 654-666: (6,494.7) + 32.1 + 324.0 + 724.4 = (5,414.2), printed (5,414.1)
    [InlineData("0020.HK", "AdjustedNetLoss", "FY2023", "-5414200000", "-5414100000", "consistent-within-rounding")]
    // seed 003 line 628 and the EBITDA table above it: (6,504.2) + (195.3) + 1,249.9 = (5,449.6)
    [InlineData("0020.HK", "Ebitda", "FY2023", "-5449600000", "-5449600000", "consistent")]
    [InlineData("0020.HK", "AdjustedEbitda", "FY2022", "-4213400000", "-4213400000", "consistent")]
    [InlineData("0020.HK", "AdjustedNetLoss", "FY2022", "-4736200000", "-4736200000", "consistent")]
    [InlineData("0020.HK", "Ebitda", "FY2022", "-5570200000", "-5570200000", "consistent")]
    // seed 002 lines 104-111 (RMB thousands): (1,979,042) + 214,441 + 19,531 + 919,724 = (825,346)
    [InlineData("3896.HK", "AdjustedNetLoss", "FY2024", "-825346000", "-825346000", "consistent")]
    [InlineData("3896.HK", "AdjustedNetLoss", "FY2023", "-1291121000", "-1291121000", "consistent")]
    public async Task Recomputed_and_reported_totals(string entity, string measure, string period, string recomputed, string reported, string verdict)
    {
        var view = await app.GetJsonAsync($"/api/entities/{entity}/non-gaap/{measure}/{period}");
        var entry = view.GetProperty("reconciliations").EnumerateArray().Single(r => r.GetProperty("dimensions").GetString() == "");
        (entry.GetProperty("recomputedTotal").GetString(), entry.GetProperty("reportedTotal").GetString(), entry.GetProperty("verdict").GetString())
            .Should().Be((recomputed, reported, verdict));
    }

    [Fact]
    public async Task The_US_dollar_column_is_checked_against_the_printed_rate()
    {
        // seed 002 lines 104-111: RMB (825,346) thousand is US$ 113,071.94 thousand at RMB 7.2993 = US$1.00; the
        // announcement prints (113,071), the sum of its translated lines; 214,441 → 29,378.30 prints 29,378.
        var view = await app.GetJsonAsync("/api/entities/3896.HK/non-gaap/AdjustedNetLoss/FY2024");
        var usd = view.GetProperty("reconciliations").EnumerateArray().Single(r => r.GetProperty("dimensions").GetString() == "translation=USD");
        var total = usd.GetProperty("total").GetProperty("translation");
        total.GetProperty("verdict").GetString().Should().Be("consistent-within-rounding");
        total.GetProperty("expected").GetString().Should().Be("-113072000");
        usd.GetProperty("adjustments")[0].GetProperty("translation").GetProperty("verdict").GetString().Should().Be("consistent");
    }

    [Fact]
    public async Task An_unknown_measure_is_404() =>
        (await app.Client.GetAsync("/api/entities/3896.HK/non-gaap/NoSuchMeasure/FY2024")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
}
