using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Views;

[Collection(LedgerCollection.Name)]
public class NonGaapTests(LedgerApp app)
{
    /// <summary>Every reconciliation in the seed packages, with the sum of its printed lines worked out here, independently of the ledger's parser.</summary>
    public static TheoryData<string, string, string, string, string, string> SeedReconciliations()
    {
        var data = new TheoryData<string, string, string, string, string, string>();
        foreach (var file in new[] { "3896.HK-PR2024.json", "0020.HK-AR2023.json" })
        {
            var package = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seeds", file)))!;
            var entity = package["document"]!["entity"]!.GetValue<string>();
            foreach (var r in package["nonGaapReconciliations"]!.AsArray())
            {
                var dims = r!["dims"] is JsonObject d ? string.Join(";", d.Select(kv => $"{kv.Key}={kv.Value}")) : "";
                var scale = r["scale"]!.GetValue<string>() switch { "thousands" => 1_000m, "millions" => 1_000_000m, _ => 1m };
                decimal Plain(JsonNode line)
                {
                    var text = line["printed"]!.GetValue<string>().Replace(",", "");
                    var value = text.StartsWith('(') ? -decimal.Parse(text.Trim('(', ')'), System.Globalization.CultureInfo.InvariantCulture) : decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
                    return (line["sign"]?.GetValue<string>() == "negative" && value > 0 ? -value : value) * scale;
                }
                var sum = Plain(r["start"]!) + r["adjustments"]!.AsArray().Sum(a => Plain(a!));
                var reported = Plain(r["total"]!);
                data.Add(entity, r["measure"]!.GetValue<string>(), r["period"]!.GetValue<string>(), dims,
                    sum.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), sum == reported ? "consistent" : "consistent-within-rounding");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SeedReconciliations))]
    public async Task Every_seed_reconciliation_has_its_recomputed_total_and_verdict(string entity, string measure, string period, string dims, string recomputed, string verdict)
    {
        var view = await app.GetJsonAsync($"/api/entities/{entity}/non-gaap/{measure}/{period}");
        var entry = view.GetProperty("reconciliations").EnumerateArray().Single(r => r.GetProperty("dimensions").GetString() == dims);
        entry.GetProperty("recomputedTotal").GetString().Should().Be(recomputed);
        entry.GetProperty("verdict").GetString().Should().Be(verdict);
        entry.GetProperty("startAgainstLedger").GetProperty("verdict").GetString().Should().BeOneOf("consistent", "consistent-within-rounding");
        if (dims.Contains("translation="))
            entry.GetProperty("total").GetProperty("translation").GetProperty("verdict").GetString().Should().BeOneOf("consistent", "consistent-within-rounding");
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
