using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Views;

/// <summary>
/// A ledger with every kind of stated value in it, for tests that read all of it back: the seeds (printed text, notes,
/// restatements with reasons and their printed "before", citations, Interpretation No. 16), made-up years restated and
/// silently changed, arriving out of order, a transcription correction, and two companies' SEC filings (forms,
/// amendments).
/// </summary>
internal static class VariedLedger
{
    public static async Task PostAsync(LedgerApp app)
    {
        foreach (var package in RebuildTests.RandomPackages(seed: 20261123))
            (await app.PostPackageAsync(package.Json())).IsSuccessStatusCode.Should().BeTrue();
        var transcribed = MadeUp.Package("STM.CORR", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("ProfitLoss", "FY2023", "100"));
        (await app.PostPackageAsync(transcribed.Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        var corrected = MadeUp.Package("STM.CORR", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,001"), MadeUp.Fact("ProfitLoss", "FY2023", "100"));
        corrected["correction"] = new JsonObject { ["reason"] = "misread revenue" };
        (await app.PostPackageAsync(corrected.Json())).IsSuccessStatusCode.Should().BeTrue();
        foreach (var file in new[] { "CIK0001997711-logistic-properties-companyfacts.json", "CIK0001640147-snowflake-companyfacts.json" })
            await ImportAsync(app, await File.ReadAllTextAsync(Repository.File("data", "sec", file)));
        // A made-up filer whose amended 10-K changes its revenue: a change said to be an amendment only by the filing's form.
        static JsonObject Revenue(decimal value, string accession, string form, string filed) => new()
        {
            ["start"] = "2023-01-01", ["end"] = "2023-12-31", ["val"] = value, ["accn"] = accession, ["fy"] = 2023, ["fp"] = "FY", ["form"] = form, ["filed"] = filed,
        };
        await ImportAsync(app, new JsonObject
        {
            ["cik"] = 43, ["entityName"] = "AMENDED TEST INC.",
            ["facts"] = new JsonObject
            {
                ["us-gaap"] = new JsonObject
                {
                    ["Revenues"] = new JsonObject { ["units"] = new JsonObject { ["USD"] = new JsonArray(
                        Revenue(90_000_000, "0000000043-24-000001", "10-K", "2024-02-20"), Revenue(91_000_000, "0000000043-24-000002", "10-K/A", "2024-03-01")) } },
                },
            },
        }.Json());
    }

    private static async Task ImportAsync(LedgerApp app, string companyFacts) =>
        (await app.Client.PostAsync("/api/imports/sec-companyfacts", new StringContent(companyFacts, Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.OK);
}
