using System.Text;
using System.Text.Json.Nodes;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Ingestion;

/// <summary>
/// Not sampled, beside the generated hostile input: every value of a body that has every part, one at a time, made null
/// and made an empty string, each answered as every hostile input must be (<see cref="CleanAnswers"/>). A null dimension
/// member was a 500 that the sampled runs found once in many. Each case is of an entity of its own, so that what one
/// accepted case wrote cannot be why another is refused; the accepted ones leave a hundred entities or more, so the ledger
/// is the seeds' alone again after each body.
/// </summary>
[Collection(LedgerCollection.Name)]
public class NullAndEmptyValueTests(LedgerApp app) : IAsyncLifetime
{
    private readonly CleanAnswers _answers = new(app);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => app.ResetAsync();

    // The number of values in each body, which the README's count of cases is the double of: a body changed is a count to change.
    public static TheoryData<string, int> Bodies => new() { { "package", 148 }, { "xbrl-json", 47 }, { "sec-companyfacts", 58 } };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Every_value_of_a_body_of_every_part_made_null_or_empty_is_refused_cleanly_or_accepted(string body, int values)
    {
        var (make, url) = body switch
        {
            "package" => ((Func<int, JsonObject>)(i => EveryPart($"HOSTILE.N{i}")), (Func<int, string>)(_ => "/api/disclosures")),
            "xbrl-json" => (_ => XbrlReport(), i => $"/api/imports/xbrl-json?entity=HOSTILE.X{i}&document=AR2023&publishedOn=2024-03-28&kind=annual-report"),
            _ => (i => CompanyFacts(990_000 + i), _ => "/api/imports/sec-companyfacts"),
        };
        var cases = 0;
        (await PostJsonAsync(url(cases), make(cases).Json())).IsSuccessStatusCode.Should().BeTrue("the body as it is is accepted");
        Nodes(make(cases)).Count().Should().Be(values);
        foreach (var replacement in new[] { "null", "\"\"" })
            for (var i = 0; i < values; i++)
            {
                var whole = make(++cases);
                var node = Nodes(whole).ElementAt(i);
                var path = node.GetPath();
                var marker = JsonValue.Create("@@HOSTILE@@");
                if (node.Parent is JsonArray array) array[node.GetElementIndex()] = marker;
                else node.Parent!.AsObject()[node.GetPropertyName()] = marker;
                var json = whole.Json().Replace("\"@@HOSTILE@@\"", replacement, StringComparison.Ordinal);
                var target = url(cases);
                await _answers.ExpectAsync(() => PostJsonAsync(target, json), $"{body}: {path} made {replacement}");
            }
    }

    private Task<HttpResponseMessage> PostJsonAsync(string url, string json) =>
        app.Client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>A made-up package with every part a package can have, which the ledger accepts as it is.</summary>
    private static JsonObject EveryPart(string entity)
    {
        var cited = $"{entity}/AR2022";
        // Policy change ids are the ledger's, not the entity's: one of its own, so that no other case's package defines it.
        var policy = $"{entity}-TAX";
        var previous = MadeUp.Fact("Revenue", "FY2022", "900");
        previous["previouslyReportedIn"] = cited;
        var package = MadeUp.Package(entity, "AR2023", "2024-03-01",
            MadeUp.Dimensioned(MadeUp.Fact("Revenue", "FY2023", "1,000"), "cloud"), previous,
            MadeUp.Fact("ProfitLoss", "FY2023", "(12.5)", scale: "thousands"), MadeUp.Fact("Assets", "2023-12-31", "100"),
            MadeUp.Fact("CurrentAssets", "2023-12-31", "60"));
        package["document"]!["source"] = "made-up.pdf";
        package["entities"]![0]!["fiscalYearEnd"] = "--12-31";
        package["citedDocuments"] = new JsonArray(new JsonObject { ["id"] = cited, ["kind"] = "annual-report", ["title"] = "AR2022", ["publishedOn"] = "2023-03-01" });
        package["convenienceTranslations"] = new JsonArray(new JsonObject { ["from"] = "CNY", ["to"] = "USD", ["rate"] = "7.0999" });
        package["policyChanges"] = new JsonArray(new JsonObject
        {
            ["id"] = policy, ["title"] = "A tax-only change", ["effectiveFrom"] = "2023-01-01", ["transition"] = "retrospective",
            ["location"] = new JsonObject { ["page"] = 3, ["section"] = "Changes in accounting policies" },
            ["currentPeriodEffects"] = new JsonArray(MadeUp.Fact("DeferredTaxAssets", "2023-12-31", "5")),
        });
        var restatement = MadeUp.Restatement("DeferredTaxAssets", "2022-12-31", "100", "130", cited, "policy-change");
        restatement["adjustment"] = new JsonObject { ["printed"] = "30" };
        restatement["reasons"]![0]!["policyChange"] = policy;
        restatement["location"] = new JsonObject { ["table"] = "Restated", ["row"] = "Deferred tax assets", ["line"] = 4 };
        restatement["note"] = "Interpretation-style change";
        package["restatements"] = new JsonArray(restatement);
        package["nonGaapReconciliations"] = new JsonArray(new JsonObject
        {
            ["measure"] = "AdjustedNetLoss", ["period"] = "FY2023", ["unit"] = "CNY", ["scale"] = "thousands",
            ["dims"] = new JsonObject { ["segment"] = "cloud" },
            ["start"] = new JsonObject { ["concept"] = "ProfitLoss", ["label"] = "Net loss", ["printed"] = "(12.5)" },
            ["adjustments"] = new JsonArray(new JsonObject { ["label"] = "Share-based compensation", ["concept"] = "ShareBasedPaymentExpense", ["printed"] = "2.5" }),
            ["total"] = new JsonObject { ["label"] = "Adjusted net loss", ["printed"] = "(10.0)" },
        });
        package["calculations"] = new JsonArray(new JsonObject
        {
            ["total"] = "Assets", ["scope"] = "consolidated", ["periods"] = new JsonArray("2023-12-31"),
            ["members"] = new JsonArray(new JsonObject { ["concept"] = "CurrentAssets", ["weight"] = 1, ["dims"] = new JsonObject() }),
        });
        return package;
    }

    /// <summary>
    /// The xBRL import tests' made-up report cut to five facts: a text fact, a segment, the separate statements, an exact
    /// count and a nil value.
    /// </summary>
    private static JsonObject XbrlReport()
    {
        var report = Imports.XbrlImportTests.GenericReport();
        var facts = report["facts"]!.AsObject();
        foreach (var id in facts.Select(f => f.Key).Except(["name", "seg", "assets", "shares", "other"]).ToList()) facts.Remove(id);
        return report;
    }

    /// <summary>A made-up SEC company facts file: a cover-page count, a duration and an instant, two filings.</summary>
    private static JsonObject CompanyFacts(int cik)
    {
        static JsonObject Fact(string? start, string end, decimal value, string accession, string form, string fp, string filed, string? frame)
        {
            var fact = new JsonObject();
            if (start is not null) fact["start"] = start;
            fact["end"] = end; fact["val"] = value; fact["accn"] = accession; fact["fy"] = 2023; fact["fp"] = fp; fact["form"] = form; fact["filed"] = filed;
            if (frame is not null) fact["frame"] = frame;
            return fact;
        }
        static JsonObject Concept(string label, string unit, params JsonObject[] facts) =>
            new() { ["label"] = label, ["description"] = $"{label}, made up.", ["units"] = new JsonObject { [unit] = new JsonArray(facts) } };
        var annual = $"{cik:D10}-24-000001";
        var quarterly = $"{cik:D10}-23-000002";
        return new JsonObject
        {
            ["cik"] = cik, ["entityName"] = "NULL TEST INC.",
            ["facts"] = new JsonObject
            {
                ["dei"] = new JsonObject { ["EntityCommonStockSharesOutstanding"] = Concept("Shares outstanding", "shares",
                    Fact(null, "2024-02-15", 1_000_000, annual, "10-K", "FY", "2024-02-20", "CY2024Q1I")) },
                ["us-gaap"] = new JsonObject
                {
                    ["Revenues"] = Concept("Revenues", "USD",
                        Fact("2023-01-01", "2023-12-31", 90_000_000, annual, "10-K", "FY", "2024-02-20", "CY2023"),
                        Fact("2023-07-01", "2023-09-30", 22_000_000, quarterly, "10-Q", "Q3", "2023-11-01", "CY2023Q3")),
                    ["Assets"] = Concept("Assets", "USD", Fact(null, "2023-12-31", 150_000_000, annual, "10-K", "FY", "2024-02-20", "CY2023Q4I")),
                },
            },
        };
    }

    /// <summary>Every node but the root, in one order for bodies of one shape.</summary>
    private static IEnumerable<JsonNode> Nodes(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : new[] { p.Value }.Concat(Nodes(p.Value))),
        JsonArray a => a.SelectMany(i => i is null ? [] : new[] { i }.Concat(Nodes(i))),
        _ => [],
    };
}
