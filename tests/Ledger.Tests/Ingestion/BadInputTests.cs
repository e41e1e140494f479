using System.Net;
using System.Text.Json.Nodes;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Ingestion;

/// <summary>Anything malformed is refused with a problem document naming each bad field, and nothing is written.</summary>
[Collection(LedgerCollection.Name)]
public class BadInputTests(LedgerApp app)
{
    private async Task<(HttpStatusCode Status, string[] Paths, string Body)> PostExpectingNothingWritten(string body)
    {
        var before = await app.EventCountAsync();
        var response = await app.PostPackageAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        (await app.EventCountAsync()).Should().Be(before, "a refused package writes nothing");
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var json = JsonNode.Parse(text)!;
        var paths = json["errors"]?.AsArray().Select(e => e!["path"]!.GetValue<string>()).ToArray() ?? [];
        return (response.StatusCode, paths, text);
    }

    [Fact]
    public async Task Malformed_JSON()
    {
        var (status, paths, body) = await PostExpectingNothingWritten("{\"document\": {\"id\": \"X/1\",");
        status.Should().Be(HttpStatusCode.BadRequest);
        body.Should().Contain("malformed JSON");
        paths.Should().ContainSingle();
    }

    [Fact]
    public async Task Unknown_concept()
    {
        var p = MadeUp.Package("BAD.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "100"), MadeUp.Fact("MadeUpConcept", "FY2023", "5"));
        var (status, paths, body) = await PostExpectingNothingWritten(p.Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Equal("$.facts[1].concept");
        body.Should().Contain("unknown concept 'MadeUpConcept'");
    }

    [Fact]
    public async Task Period_that_does_not_fit_the_concepts_period_type()
    {
        var p = MadeUp.Package("BAD.B", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "2023-12-31", "100"), MadeUp.Fact("Assets", "FY2023", "100"));
        var (status, paths, _) = await PostExpectingNothingWritten(p.Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Equal("$.facts[0].period", "$.facts[1].period");
    }

    [Fact]
    public async Task A_cited_value_names_a_document_the_package_does_not_cite()
    {
        var cited = MadeUp.Fact("Revenue", "FY2022", "90");
        cited["previouslyReportedIn"] = "BAD.CITE/AR2022";
        var own = MadeUp.Fact("Revenue", "FY2021", "80");
        own["previouslyReportedIn"] = "BAD.CITE/AR2023";
        var p = MadeUp.Package("BAD.CITE", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "100"), cited, own);
        var (status, paths, body) = await PostExpectingNothingWritten(p.Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Equal("$.facts[1].previouslyReportedIn", "$.facts[2].previouslyReportedIn");
        body.Should().Contain("neither in the ledger nor listed in 'citedDocuments'").And.Contain("names the document itself");
    }

    [Fact]
    public async Task Bad_calculation_relations_are_refused_field_by_field()
    {
        var p = MadeUp.Package("BAD.CALC", "AR2023", "2024-03-01", MadeUp.Fact("Assets", "2023-12-31", "100"));
        p["calculations"] = JsonNode.Parse("""
            [ { "total": "Assets", "periods": ["FY2023"], "members": [ { "concept": "CurrentAssets", "weight": 2 }, { "concept": "Revenue" }, { "concept": "NoSuchConcept" } ] },
              { "total": "Assets", "members": [] } ]
            """);
        var (status, paths, _) = await PostExpectingNothingWritten(p.Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Equal("$.calculations[0].members[0].weight", "$.calculations[0].members[1].concept", "$.calculations[0].members[2].concept",
            "$.calculations[0].periods[0]", "$.calculations[1].members");
    }

    [Fact]
    public async Task Dimensions_that_would_break_a_key_or_not_read_back_are_refused_on_a_fact_and_on_a_reconciliation()
    {
        // '|', ';' and '=' separate a key's parts. A reconciliation's dimensions went into its stream's key unchecked.
        var fact = MadeUp.Fact("Revenue", "FY2023", "100");
        fact["dims"] = new JsonObject { ["Segment|Cloud"] = "Enterprise" };
        // A key is read back trimmed: a padded member would not come back as written.
        var padded = MadeUp.Fact("GrossProfit", "FY2023", "40");
        padded["dims"] = new JsonObject { ["Segment"] = "Cloud ", ["Line"] = "a\tb", ["ReportedIn"] = "BAD.DIMS/AR2022" };
        var p = MadeUp.Package("BAD.DIMS", "AR2023", "2024-03-01", fact, MadeUp.Fact("ProfitLoss", "FY2023", "(1,000)", scale: "thousands"), padded);
        p["nonGaapReconciliations"] = new JsonArray(new JsonObject
        {
            ["measure"] = "AdjustedNetLoss", ["period"] = "FY2023", ["unit"] = "CNY", ["scale"] = "thousands",
            ["dims"] = new JsonObject { ["Segment"] = "Cloud;Enterprise" },
            ["start"] = new JsonObject { ["concept"] = "ProfitLoss", ["label"] = "Net loss", ["printed"] = "(1,000)" },
            ["adjustments"] = new JsonArray(new JsonObject { ["label"] = "Share-based compensation", ["concept"] = "ShareBasedPaymentExpense", ["printed"] = "100" }),
            ["total"] = new JsonObject { ["label"] = "Adjusted net loss", ["printed"] = "(900)" },
        });
        var (status, paths, body) = await PostExpectingNothingWritten(p.Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Equal("$.facts[0].dims.Segment|Cloud", "$.facts[2].dims.Segment", "$.facts[2].dims.Line", "$.facts[2].dims.ReportedIn",
            "$.nonGaapReconciliations[0].dims.Segment");
        body.Should().Contain("without spaces at either end or control characters, and free of '|', ';' and '='");
    }

    [Fact]
    public async Task Ids_that_could_not_be_one_segment_of_their_URL_are_refused()
    {
        // A document is read at /api/entities/{entity}/documents/{slug}, a policy change at …/policy-changes/{id}/…: a slug with a
        // space or a '/', or a cited id without its entity, was recorded and then could not be read (or named another document).
        var cited = MadeUp.Fact("Revenue", "FY2022", "90");
        cited["previouslyReportedIn"] = "AR2022";
        var p = MadeUp.Package("BAD.IDS", "AR 2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "100"), cited);
        p["citedDocuments"] = new JsonArray(new JsonObject { ["id"] = "AR2022", ["publishedOn"] = "2023-03-01" });
        p["policyChanges"] = new JsonArray(
            new JsonObject { ["id"] = "CAS/16", ["title"] = "A change", ["effectiveFrom"] = "2023-01-01" },
            new JsonObject { ["id"] = "..", ["title"] = "Another", ["effectiveFrom"] = "2023-01-01" });
        var (status, paths, body) = await PostExpectingNothingWritten(p.Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Equal("$.document.id", "$.citedDocuments[0].id", "$.policyChanges[0].id", "$.policyChanges[1].id");
        body.Should().Contain("its slug 1 to 128 characters, not . or .., without spaces").And.Contain("a policy change id is 1 to 64 characters");
    }

    [Fact]
    public async Task A_calculation_adds_like_with_like_and_never_ratios()
    {
        var p = MadeUp.Package("BAD.KIND", "AR2023", "2024-03-01", MadeUp.Fact("Assets", "2023-12-31", "100"));
        p["calculations"] = JsonNode.Parse("""
            [ { "total": "ProportionOfEmployees", "members": [ { "concept": "ProportionOfEmployees", "dims": { "function": "sales" } } ] },
              { "total": "Assets", "members": [ { "concept": "NumberOfEmployees" } ] } ]
            """);
        var (status, paths, body) = await PostExpectingNothingWritten(p.Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Equal("$.calculations[0].total", "$.calculations[0].members[0].concept", "$.calculations[1].members[0].concept");
        body.Should().Contain("ProportionOfEmployees is a ratio").And.Contain("a calculation adds like with like");
    }

    [Fact]
    public async Task Value_that_does_not_parse()
    {
        var p = MadeUp.Package("BAD.C", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,23,456"));
        var (status, paths, body) = await PostExpectingNothingWritten(p.Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Equal("$.facts[0].printed");
        body.Should().Contain("thousands separators are misplaced");
    }

    [Fact]
    public async Task An_opening_balance_whose_day_before_is_the_calendars_first_is_refused_not_a_crash()
    {
        // Held at the instant of the day before, 0001-01-01, which is no period: the statement lines' projection failed to read it back.
        var opening = MadeUp.Fact("Assets", "0001-01-02", "100");
        opening["opening"] = true;
        var (status, paths, body) = await PostExpectingNothingWritten(MadeUp.Package("BAD.EDGE", "AR0001", "2024-03-01", opening).Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Equal("$.facts[0].opening");
        body.Should().Contain("an opening balance is held at the day before 0001-01-02");
    }

    [Fact]
    public async Task Missing_document_date()
    {
        var p = MadeUp.Package("BAD.D", "AR2023", null, MadeUp.Fact("Revenue", "FY2023", "100"));
        var (status, paths, _) = await PostExpectingNothingWritten(p.Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Equal("$.document.publishedOn");
    }

    [Fact]
    public async Task Null_items_in_lists_are_named_not_a_crash()
    {
        var p = MadeUp.Package("BAD.F", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "100"));
        p["facts"]!.AsArray().Add(null);
        p["entities"]!.AsArray().Add(null);
        p["restatements"] = new JsonArray(null, MadeUp.Restatement("Revenue", "FY2022", "1", "2", "BAD.F/AR2022"));
        p["restatements"]![1]!["reasons"]!.AsArray().Add(null);
        var (status, paths, _) = await PostExpectingNothingWritten(p.Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Contain(["$.facts[1]", "$.entities[1]", "$.restatements[0]", "$.restatements[1].reasons[1]"]);
    }

    [Fact]
    public async Task Null_or_blank_values_in_names_and_dimensions_are_named_not_a_crash_or_a_nameless_entity()
    {
        // A null dimension member was a 500 (found by the generated hostile runs); a null or blank name registered an entity
        // without one.
        var fact = MadeUp.Fact("Revenue", "FY2023", "100");
        fact["dims"] = new JsonObject { ["segment"] = null };
        var p = MadeUp.Package("BAD.NULLS", "AR2023", "2024-03-01", fact);
        p["entities"]![0]!["names"] = new JsonObject { ["en"] = null, ["zh-Hans"] = " " };
        var (status, paths, _) = await PostExpectingNothingWritten(p.Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Equal("$.entities[0].names.en", "$.entities[0].names.zh-Hans", "$.facts[0].dims.segment");
    }

    [Fact]
    public async Task Values_beyond_exact_decimals_are_refused_not_a_crash()
    {
        var p = MadeUp.Package("BAD.G", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "999,999,999,999,999,999,999,999,999", scale: "億"));
        var exact = MadeUp.Fact("GrossProfit", "FY2023", "1");
        exact.Remove("printed");
        exact["value"] = "100";
        exact["decimals"] = -40;
        p["facts"]!.AsArray().Add(exact);
        var (status, paths, _) = await PostExpectingNothingWritten(p.Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Equal("$.facts[0].printed", "$.facts[1].decimals");
    }

    [Fact]
    public async Task Oversized_package()
    {
        var filler = new string(' ', Ledger.Api.Ingestion.DisclosureIngestion.MaxPackageBytes + 1);
        var (status, paths, body) = await PostExpectingNothingWritten("{" + filler + "}");
        status.Should().Be(HttpStatusCode.RequestEntityTooLarge, "HTTP's answer for a body over the limit");
        body.Should().Contain("exceeds the limit");
        paths.Should().Equal("$");
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once_and_a_good_fact_beside_them_is_not_written()
    {
        var p = MadeUp.Package("BAD.E", "AR2023", "2024-03-01",
            MadeUp.Fact("Revenue", "FY2023", "100"),
            MadeUp.Fact("Revenue", "FY2023", "(abc)"),
            MadeUp.Fact("BasicEarningsLossPerShare", "FY2023", "0.5", unit: "CNY"),
            MadeUp.Fact("Revenue", "FY2023", "1", scale: "dozens"));
        var (status, paths, _) = await PostExpectingNothingWritten(p.Json());
        status.Should().Be(HttpStatusCode.BadRequest);
        paths.Should().Equal("$.facts[1].printed", "$.facts[2].unit", "$.facts[3].printed");
    }
}
