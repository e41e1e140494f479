using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Imports;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Ledger.Tests.Imports;

/// <summary>
/// xBRL-JSON in: a ledger's as-reported export imports into an empty ledger as the same documents, with the same current
/// and as-reported views; another report imports as one document; bad reports are refused whole, naming what is wrong.
/// </summary>
[Collection(LedgerCollection.Name)]
public class XbrlImportTests(LedgerApp app)
{
    private const string Lpa = "CIK0001997711";
    private static string LpaFile => Repository.File("data", "sec", "CIK0001997711-logistic-properties-companyfacts.json");

    public static readonly TheoryData<string> SeedEntities = new() { "0268.HK", "3896.HK", "0020.HK", "688083.SH" };

    [Theory]
    [MemberData(nameof(SeedEntities))]
    public async Task A_seed_entitys_as_reported_export_imports_into_an_empty_ledger_with_the_same_views(string entity)
    {
        var export = await ExportAsync(app.Client, entity, "as-reported");
        await using var target = await FreshLedger.StartAsync(app, "xbrlseed");

        var result = await ImportAsync(target.Client, export);
        result.GetProperty("entity").GetString().Should().Be(entity);
        result.GetProperty("recorded").GetInt32().Should().Be(result.GetProperty("documents").GetInt32()).And.BeGreaterThan(0);

        await SameViewsAsync(app.Client, target.Client, entity);
    }

    [Fact]
    public async Task Restatements_policy_changes_citations_and_printed_values_round_trip_whatever_order_the_documents_came_in()
    {
        const string entity = "XRT.A";
        await using var source = await FreshLedger.StartAsync(app, "xbrlmadesrc");
        var ar2022 = MadeUp.Package(entity, "AR2022", "2023-03-20", MadeUp.Fact("Revenue", "FY2022", "900"));
        ar2022["policyChanges"] = new JsonArray(new JsonObject
        {
            ["id"] = "XRT-LEASES", ["title"] = "Leases", ["effectiveFrom"] = "2023-01-01", ["transition"] = "retrospective",
            ["currentPeriodEffects"] = new JsonArray(MadeUp.Fact("Revenue", "FY2023", "12")),
        });
        var loss = MadeUp.Fact("GrossProfit", "FY2023", "(50)");
        loss["negated"] = true;
        var parentSegment = MadeUp.Fact("Revenue", "FY2023", "400");
        parentSegment["scope"] = "parent";
        parentSegment["dims"] = new JsonObject { ["segment"] = "cloud" };
        var ar2023 = MadeUp.Package(entity, "AR2023", "2024-03-20",
            MadeUp.Fact("Revenue", "FY2023", "1,000", scale: "thousands"), loss, parentSegment,
            MadeUp.Fact("GrossProfit", "FY2022", "-"), MadeUp.Fact("Revenue", "2023H1", "約450"),
            MadeUp.Fact("NumberOfEmployees", "2023-12-31", "超過300", unit: "count"),
            Cited(MadeUp.Fact("ProfitLossFromOperatingActivities", "FY2021", "70"), $"{entity}/AR2021"),
            Cited(MadeUp.Fact("ProfitLossFromOperatingActivities", "FY2020", "60"), $"{entity}/AR2020"));
        ar2023["citedDocuments"] = new JsonArray(
            new JsonObject { ["id"] = $"{entity}/AR2021", ["kind"] = "annual-report", ["title"] = "AR2021" },
            new JsonObject { ["id"] = $"{entity}/AR2020", ["kind"] = "annual-report", ["title"] = "AR2020" });
        var restatement = MadeUp.Restatement("Revenue", "FY2022", "900", "950", $"{entity}/AR2022", "policy-change");
        restatement["reasons"]![0]!["policyChange"] = "XRT-LEASES";
        ar2023["restatements"] = new JsonArray(restatement);
        // AR2021 arrives after AR2023 cited it: the citation keeps it undated, which the import must reproduce.
        var ar2021 = MadeUp.Package(entity, "AR2021", "2022-03-20", MadeUp.Fact("Revenue", "FY2021", "800"));
        foreach (var package in new[] { ar2022, ar2023, ar2021 })
        {
            var posted = await source.Client.PostAsync("/api/disclosures", Json(package.Json()));
            posted.StatusCode.Should().Be(HttpStatusCode.Created, await posted.Content.ReadAsStringAsync());
        }
        var export = await ExportAsync(source.Client, entity, "as-reported");
        var documents = JsonNode.Parse(export)!["documentInfo"]!["ledger:documents"]!;
        documents[$"{entity}/AR2020"]!.ToJsonString().Should().Be("{\"citedOnly\":true}");
        documents[$"{entity}/AR2022"]!["policyChanges"]![0]!["id"]!.GetValue<string>().Should().Be("XRT-LEASES");

        await using var target = await FreshLedger.StartAsync(app, "xbrlmadetgt");
        var result = await ImportAsync(target.Client, export);
        result.GetProperty("recordedDocuments").EnumerateArray().Select(d => d.GetString()).Should()
            .Equal($"{entity}/AR2022", $"{entity}/AR2023", $"{entity}/AR2021");

        await SameViewsAsync(source.Client, target.Client, entity);
        var cited = await target.GetJsonAsync($"/api/entities/{entity}/figures?view=as-reported&document={entity}/AR2021");
        cited.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("concept").GetString() == "ProfitLossFromOperatingActivities")
            .GetProperty("document").GetProperty("publishedOnUnknown").GetBoolean().Should().BeTrue("AR2023 cited it before the ledger held it");
    }

    private static JsonObject Cited(JsonObject fact, string document)
    {
        fact["previouslyReportedIn"] = document;
        return fact;
    }

    [Fact]
    public async Task An_SEC_imported_company_round_trips_with_its_qualified_concepts_and_its_filings()
    {
        await using var source = await FreshLedger.StartAsync(app, "xbrlsecsrc");
        var imported = await source.Client.PostAsync("/api/imports/sec-companyfacts", Json(await File.ReadAllTextAsync(LpaFile)));
        imported.StatusCode.Should().Be(HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());
        var export = await ExportAsync(source.Client, Lpa, "as-reported");
        // Revenue is the catalog's IFRS element, but the filings' figures are keyed by the qualified name: the export says so.
        var revenue = JsonNode.Parse(export)!["facts"]!.AsObject().Select(f => f.Value!)
            .First(f => f["dimensions"]!["concept"]!.GetValue<string>() == "ifrs-full:Revenue");
        revenue["ledger:concept"]!.GetValue<string>().Should().Be("ifrs-full:Revenue");

        await using var target = await FreshLedger.StartAsync(app, "xbrlsectgt");
        var result = await ImportAsync(target.Client, export);
        result.GetProperty("recorded").GetInt32().Should().Be(3, "two 20-F and one 20-F/A");

        await SameViewsAsync(source.Client, target.Client, Lpa);
        (await target.GetJsonAsync($"/api/entities/{Lpa}/figures/ifrs-full:Revenue/FY2023")).GetProperty("figure").GetString()
            .Should().Be($"{Lpa}|ifrs-full:Revenue|FY2023|consolidated");
    }

    [Fact]
    public async Task A_company_with_a_fiscal_year_ending_in_January_round_trips_with_its_dated_periods_and_counted_units()
    {
        const string snowflake = "CIK0001640147";
        await using var source = await FreshLedger.StartAsync(app, "xbrlsnowsrc");
        var imported = await source.Client.PostAsync("/api/imports/sec-companyfacts",
            Json(await File.ReadAllTextAsync(Repository.File("data", "sec", "CIK0001640147-snowflake-companyfacts.json"))));
        imported.StatusCode.Should().Be(HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());
        var export = await ExportAsync(source.Client, snowflake, "as-reported");
        var info = JsonNode.Parse(export)!["documentInfo"]!;
        info["ledger:entity"]!["fiscalYearEnd"]!.GetValue<string>().Should().Be("--01-31");
        info["namespaces"]!["us-gaap"]!.GetValue<string>().Should().Be("urn:ledger:taxonomy:us-gaap");
        // segment is what the filings count in, no currency: the extension's unit, not iso4217:segment.
        export.Should().Contain("\"unit\":\"ledger:segment\"").And.NotContain("iso4217:segment");

        await using var target = await FreshLedger.StartAsync(app, "xbrlsnowtgt");
        var result = await ImportAsync(target.Client, export);
        result.GetProperty("recorded").GetInt32().Should().Be(19);
        result.GetProperty("fiscalYearEnd").GetString().Should().Be("--01-31");

        await SameViewsAsync(source.Client, target.Client, snowflake);
    }

    [Fact]
    public async Task Importing_the_same_report_twice_records_nothing_the_second_time()
    {
        var export = await ExportAsync(app.Client, "0268.HK", "as-reported");
        await using var target = await FreshLedger.StartAsync(app, "xbrltwice");

        var first = await ImportAsync(target.Client, export);
        first.GetProperty("recorded").GetInt32().Should().Be(1);
        var second = await ImportAsync(target.Client, export);
        second.GetProperty("recorded").GetInt32().Should().Be(0);
        second.GetProperty("alreadyInLedger").GetInt32().Should().Be(1);
        second.GetProperty("facts").GetInt32().Should().Be(0);

        var generic = GenericReport().Json();
        const string query = "?document=AR2023&publishedOn=2024-03-28&kind=annual-report";
        (await ImportAsync(target.Client, generic, query)).GetProperty("recorded").GetInt32().Should().Be(1);
        (await ImportAsync(target.Client, generic, query)).GetProperty("recorded").GetInt32().Should().Be(0);
        // Named with a trailing space: the reader trims the id, and so does the question whether the ledger holds it (it
        // asked untrimmed, found nothing, and every retry met the held document's stream: a 409).
        (await ImportAsync(target.Client, generic, "?document=AR2023%20&publishedOn=2024-03-28&kind=annual-report"))
            .GetProperty("alreadyInLedger").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task A_report_that_is_not_a_ledger_export_imports_as_one_document_named_by_the_query()
    {
        await using var target = await FreshLedger.StartAsync(app, "xbrlgeneric");
        var result = await ImportAsync(target.Client, GenericReport().Json(), "?document=AR2023&publishedOn=2024-03-28&kind=annual-report");
        result.GetProperty("entity").GetString().Should().Be("EXGEN00000000000001", "the LEI scheme's identifier");
        result.GetProperty("recordedDocuments")[0].GetString().Should().Be("EXGEN00000000000001/AR2023");
        result.GetProperty("facts").GetInt32().Should().Be(10, "the registrant's name is text, not a figure");

        var entity = (await target.GetJsonAsync("/api/entities")).EnumerateArray().Single();
        entity.GetRawText().Should().Contain("Example Group plc", "named by dei:EntityRegistrantName");
        var figures = (await target.GetJsonAsync("/api/entities/EXGEN00000000000001/figures")).GetProperty("figures").EnumerateArray()
            .ToDictionary(f => f.GetProperty("figure").GetString()!["EXGEN00000000000001|".Length..], f =>
            {
                var c = f.GetProperty("current");
                return $"{(c.TryGetProperty("value", out var v) ? v.GetString() : c.GetProperty("nil").GetString())} {c.GetProperty("unit").GetString()} {(c.TryGetProperty("decimals", out var d) ? d.GetString() : "-")}";
            });
        figures.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["Revenue|FY2023|consolidated"] = "1234500 EUR -2",
            ["Revenue|FY2023|consolidated|ifrs-full:SegmentsAxis=ex:CloudMember"] = "700000 EUR -3",
            ["Revenue|2023Q3|consolidated"] = "300100 EUR 0",
            ["Revenue|2023-01-01..2023-09-30|consolidated"] = "900200 EUR 0",
            ["Assets|2023-12-31|parent"] = "5000.5 EUR 1",
            ["BasicEarningsLossPerShare|FY2023|consolidated"] = "1.25 EUR/share 2",
            ["ex:SharesIssued|2023-12-31|consolidated"] = "1000000 shares INF",
            ["ex:OperatingMargin|FY2023|consolidated"] = "0.25 pure 2",
            ["OtherIncome|FY2023|consolidated"] = "nil EUR -",
            ["NumberOfEmployees|2023-12-31|consolidated"] = "1200 count 0",
        });
    }

    [Fact]
    public async Task The_import_verb_imports_a_report_with_the_documents_options_and_refuses_one_without_them()
    {
        await using var target = await FreshLedger.StartAsync(app, "xbrlverb");
        var file = Path.Combine(Path.GetTempPath(), $"ledger-xbrl-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, GenericReport().Json());
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Ledger"] = target.ConnectionString }).Build();
        try
        {
            (await ImportCommand.RunAsync(["import", "xbrl-json", file], config)).Should().Be(1, "the report names neither its document nor its date");
            (await target.GetJsonAsync("/api/entities")).GetArrayLength().Should().Be(0);
            (await ImportCommand.RunAsync(["import", "xbrl-json", file, "--document", "AR2023", "--published-on", "2024-03-28", "--kind", "annual-report"], config))
                .Should().Be(0);
            (await target.GetJsonAsync("/api/entities/EXGEN00000000000001/figures/Revenue/FY2023")).GetProperty("current").GetProperty("value").GetString()
                .Should().Be("1234500");
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_refused_and_nothing_is_written()
    {
        var before = await app.EventCountAsync();
        var plain = await app.Client.PostAsync("/api/imports/xbrl-json", new StringContent("{}", Encoding.UTF8, "text/plain"));
        plain.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        var malformed = await app.Client.PostAsync("/api/imports/xbrl-json", Json("""{ "documentInfo": { "documentType": """));
        malformed.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await LedgerApp.JsonOf(malformed)).GetProperty("detail").GetString().Should().Contain("malformed JSON");
        (await app.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task An_export_whose_document_id_could_not_be_read_back_is_refused_naming_it()
    {
        // Its facts and citations name the document by the id as given; the reader would trim it and none would match.
        var export = System.Text.Json.Nodes.JsonNode.Parse(await ExportAsync(app.Client, "0268.HK", "as-reported"))!;
        var documents = export["documentInfo"]!["ledger:documents"]!.AsObject();
        var document = documents["0268.HK/PR2023"]!;
        documents.Remove("0268.HK/PR2023");
        documents["0268.HK/PR2023 "] = document;
        var errors = await RefusedAsync(export.ToJsonString(), "");
        errors.Should().Contain(e => e.StartsWith("$.documentInfo.ledger:documents.0268.HK/PR2023 : a document id is '{entity}/{slug}'"));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData(" ", "&name=%20")]
    public async Task A_blank_registrant_name_is_no_name_and_is_refused_naming_the_option(string registrant, string nameOption)
    {
        // It was refused as the ledger's own package's "$.entities[0].names.en", a path the report does not have.
        var report = GenericReport();
        report["facts"]!["name"]!["value"] = registrant;
        var errors = await RefusedAsync(report.Json(), $"?entity=BLANK.NAME&document=AR2023&publishedOn=2024-03-28&kind=annual-report{nameOption}");
        errors.Should().ContainSingle().Which.Should().StartWith("name: is required: entity 'BLANK.NAME' is not in the ledger");
    }

    [Fact]
    public async Task An_export_whose_convenience_translations_are_not_objects_is_refused_naming_each()
    {
        // Each item's members were read without asking whether it was an object: a null or a string in the list was a 500.
        var export = System.Text.Json.Nodes.JsonNode.Parse(await ExportAsync(app.Client, "0268.HK", "as-reported"))!;
        var document = export["documentInfo"]!["ledger:documents"]!["0268.HK/PR2023"]!;
        document["convenienceTranslations"] = new System.Text.Json.Nodes.JsonArray(null, "x");
        var errors = await RefusedAsync(export.ToJsonString(), "");
        errors.Should().Contain([
            "$.documentInfo.ledger:documents.0268.HK/PR2023.convenienceTranslations[0]: must be an object (from, to, rate)",
            "$.documentInfo.ledger:documents.0268.HK/PR2023.convenienceTranslations[1]: must be an object (from, to, rate)"]);
        document["convenienceTranslations"] = "7.1";
        (await RefusedAsync(export.ToJsonString(), "")).Should().Contain(
            "$.documentInfo.ledger:documents.0268.HK/PR2023.convenienceTranslations: must be an array of convenience translations");
    }

    [Fact]
    public async Task A_fact_that_names_one_axis_twice_is_refused_naming_it()
    {
        // Two prefixes bound to the IFRS namespace: both axes are ifrs-full:SegmentsAxis, and one member would be lost.
        var report = GenericReport();
        report["documentInfo"]!["namespaces"]!["ifrs2"] = "https://xbrl.ifrs.org/taxonomy/2023-03-23/ifrs-full";
        report["facts"]!["seg"]!["dimensions"]!["ifrs2:SegmentsAxis"] = "ex:OtherMember";
        var errors = await RefusedAsync(report.Json(), "?document=AR2023&publishedOn=2024-03-28&kind=annual-report");
        errors.Should().Equal("$.facts.seg.dimensions.ifrs2:SegmentsAxis: ifrs-full:Revenue: 'ifrs2:SegmentsAxis' is the axis 'ifrs-full:SegmentsAxis', which another of the fact's dimensions names too");
    }

    // A member padded with a space would be keyed as written and read back trimmed; one of 201 characters is past the rule.
    public static TheoryData<string> MembersTheLedgerCouldNotKey => new() { "ex:CloudMember ", "ex:" + new string('M', 198) };

    [Theory]
    [MemberData(nameof(MembersTheLedgerCouldNotKey))]
    public async Task A_fact_whose_dimension_the_ledger_could_not_key_is_refused_naming_it(string member)
    {
        var report = GenericReport();
        report["facts"]!["seg"]!["dimensions"]!["ifrs:SegmentsAxis"] = member;
        var errors = await RefusedAsync(report.Json(), "?document=AR2023&publishedOn=2024-03-28&kind=annual-report");
        errors.Should().ContainSingle().Which.Should().StartWith("$.facts.seg.dimensions.ifrs:SegmentsAxis: ")
            .And.EndWith(Ledger.Domain.Values.FigureKey.DimensionPartRule);
    }

    [Fact]
    public async Task A_report_whose_facts_name_an_entity_the_ledger_could_not_key_is_refused_naming_it()
    {
        // The identifier is the first part of every figure key and document id: a space or a '|' would break both.
        var report = GenericReport();
        foreach (var (_, fact) in report["facts"]!.AsObject()) fact!["dimensions"]!["entity"] = "lei:EXGEN 0001";
        var errors = await RefusedAsync(report.Json(), "?document=AR2023&publishedOn=2024-03-28&kind=annual-report");
        errors.Should().Equal($"$.facts: 'EXGEN 0001' is not an entity id the ledger can key figures by: {Ledger.Domain.Ingestion.PackageReader.EntityIdRule}");
    }

    [Fact]
    public async Task A_report_of_another_document_type_is_refused_naming_documentType()
    {
        var report = GenericReport();
        report["documentInfo"]!["documentType"] = "https://xbrl.org/CR/2021-02-03/xbrl-json";
        var errors = await RefusedAsync(report.Json(), "?document=AR2023&publishedOn=2024-03-28&kind=annual-report");
        errors.Should().Equal("$.documentInfo.documentType: must be https://xbrl.org/2021/xbrl-json (xBRL-JSON 1.0)");
    }

    [Fact]
    public async Task A_fact_in_a_unit_the_ledger_does_not_know_is_refused_naming_the_fact_and_its_concept_and_nothing_is_written()
    {
        var report = GenericReport();
        report["facts"]!["rev"]!["dimensions"]!["unit"] = "utr:sqft";
        report["facts"]!["q3"]!["dimensions"]!["period"] = "2023-07-01T12:00:00/2023-10-01T00:00:00";
        var errors = await RefusedAsync(report.Json(), "?document=AR2023&publishedOn=2024-03-28&kind=annual-report");
        errors.Should().Equal(
            "$.facts.rev.dimensions.unit: ifrs-full:Revenue: 'utr:sqft' is not a unit the ledger knows (iso4217:XXX, iso4217:XXX/xbrli:shares, xbrli:shares, xbrli:pure or none, ledger:count)",
            "$.facts.q3.dimensions.period: ifrs-full:Revenue: '2023-07-01T12:00:00/2023-10-01T00:00:00' is not a period the ledger records (start/end at midnight, 2023-01-01T00:00:00/2024-01-01T00:00:00, or an instant at midnight)");
        (await app.Client.GetAsync("/api/entities/EXGEN00000000000001/figures")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_report_that_names_no_document_is_refused_saying_which_query_parameters_it_needs()
    {
        var errors = await RefusedAsync(GenericReport().Json(), "");
        errors.Should().HaveCount(3);
        errors[0].Should().StartWith("document: is required: the report does not say which document it is");
        errors[1].Should().StartWith("publishedOn: is required");
        errors[2].Should().StartWith("kind: is required");
    }

    [Theory]
    [InlineData("?document=AR2023&publishedOn=2024-13-28&kind=annual-report", "publishedOn: '2024-13-28' is not a date (yyyy-MM-dd)")]
    [InlineData("?document=AR2023&publishedOn=2024-03-28&kind=annual-report&language=fr", "language: 'fr' is not one of: zh-Hans, zh-Hant, en")]
    [InlineData("?document=AR2023&publishedOn=2024-03-28&kind=annual-report&standard=GAAP", "standard: 'GAAP' is not one of: CAS, IFRS, HKFRS, US-GAAP")]
    [InlineData("?document=AR2023&publishedOn=2024-03-28&kind=annual-report&fiscalYearEnd=--13-31", "fiscalYearEnd: '--13-31' is not a year end")]
    public async Task A_query_value_of_the_wrong_form_is_refused_naming_it_before_the_report_is_read(string query, string error)
    {
        // The body is not even JSON: the query is checked first, and alone.
        (await RefusedAsync("not json", query)).Should().ContainSingle().Which.Should().StartWith(error);
    }

    [Fact]
    public async Task A_query_value_the_reader_trims_passes_the_check_and_the_body_is_read()
    {
        var errors = await RefusedAsync("not json", "?document=AR2023&publishedOn=2024-03-28&kind=annual-report&language=en%20&standard=%20IFRS&fiscalYearEnd=%20--12-31");
        errors.Should().ContainSingle().Which.Should().Contain("malformed JSON", "the query passed, so the body was read");
    }

    [Fact]
    public async Task A_current_view_export_is_refused_for_its_superseded_values_belong_to_no_document()
    {
        var errors = await RefusedAsync(await ExportAsync(app.Client, "688083.SH", "current"), "");
        errors.Should().ContainSingle().Which.Should().StartWith("$.documentInfo.ledger:view: is 'current'");
    }

    /// <summary>
    /// A made-up IFRS report of an entity known by its LEI, as another tool writes xBRL-JSON: a prefix of its own for the
    /// IFRS taxonomy of another release, a typed segment axis, the separate statements, a quarter and nine months, a value
    /// without decimals (exact), a ratio without unit (pure), a nil value, a count in pure numbers, and a cover-page text fact.
    /// </summary>
    internal static JsonObject GenericReport()
    {
        static JsonObject Fact(string concept, string period, string? value, int? decimals, string? unit, params (string Axis, string Member)[] dims)
        {
            var dimensions = new JsonObject { ["concept"] = concept, ["entity"] = "lei:EXGEN00000000000001", ["period"] = period };
            if (unit is not null) dimensions["unit"] = unit;
            foreach (var (axis, member) in dims) dimensions[axis] = member;
            var fact = new JsonObject { ["value"] = value };
            if (decimals is { } d) fact["decimals"] = d;
            fact["dimensions"] = dimensions;
            return fact;
        }
        const string fy = "2023-01-01T00:00:00/2024-01-01T00:00:00";
        const string end = "2024-01-01T00:00:00";
        return new JsonObject
        {
            ["documentInfo"] = new JsonObject
            {
                ["documentType"] = "https://xbrl.org/2021/xbrl-json",
                ["namespaces"] = new JsonObject
                {
                    ["ifrs"] = "https://xbrl.ifrs.org/taxonomy/2023-03-23/ifrs-full",
                    ["iso4217"] = "http://www.xbrl.org/2003/iso4217",
                    ["xbrli"] = "http://www.xbrl.org/2003/instance",
                    ["lei"] = "http://standards.iso.org/iso/17442",
                    ["dei"] = "http://xbrl.sec.gov/dei/2023",
                    ["ex"] = "http://example.com/xbrl/2023",
                },
            },
            ["facts"] = new JsonObject
            {
                ["name"] = Fact("dei:EntityRegistrantName", fy, "Example Group plc", null, null),
                ["rev"] = Fact("ifrs:Revenue", fy, "1234500", -2, "iso4217:EUR"),
                ["seg"] = Fact("ifrs:Revenue", fy, "700000", -3, "iso4217:EUR", ("ifrs:SegmentsAxis", "ex:CloudMember")),
                ["q3"] = Fact("ifrs:Revenue", "2023-07-01T00:00:00/2023-10-01T00:00:00", "300100", 0, "iso4217:EUR"),
                ["ninemonths"] = Fact("ifrs:Revenue", "2023-01-01T00:00:00/2023-10-01T00:00:00", "900200", 0, "iso4217:EUR"),
                ["assets"] = Fact("ifrs:Assets", end, "5000.5", 1, "iso4217:EUR",
                    ("ifrs:ConsolidatedAndSeparateFinancialStatementsAxis", "ifrs:SeparateMember")),
                ["eps"] = Fact("ifrs:BasicEarningsLossPerShare", fy, "1.25", 2, "iso4217:EUR/xbrli:shares"),
                ["shares"] = Fact("ex:SharesIssued", end, "1000000", null, "xbrli:shares"),
                ["margin"] = Fact("ex:OperatingMargin", fy, "0.25", 2, null),
                ["other"] = Fact("ifrs:OtherIncome", fy, null, null, "iso4217:EUR"),
                ["employees"] = Fact("ifrs:NumberOfEmployees", end, "1200", 0, "xbrli:pure"),
            },
        };
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<string> ExportAsync(HttpClient client, string entity, string view)
    {
        var response = await client.GetAsync($"/api/entities/{entity}/export?format=xbrl-json&view={view}");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        return body;
    }

    private static async Task<JsonElement> ImportAsync(HttpClient client, string report, string query = "")
    {
        var response = await client.PostAsync($"/api/imports/xbrl-json{query}", Json(report));
        var body = await LedgerApp.JsonOf(response);
        response.StatusCode.Should().Be(HttpStatusCode.OK, body.ToString());
        return body;
    }

    /// <summary>Posts a report the import must refuse, and answers its errors as "path: detail"; the ledger's events must not change.</summary>
    private async Task<List<string>> RefusedAsync(string report, string query)
    {
        var before = await app.EventCountAsync();
        var response = await app.Client.PostAsync($"/api/imports/xbrl-json{query}", Json(report));
        var body = await LedgerApp.JsonOf(response);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body.ToString());
        (await app.EventCountAsync()).Should().Be(before, "a refused report writes nothing");
        return body.GetProperty("errors").EnumerateArray().Select(e => $"{e.GetProperty("path").GetString()}: {e.GetProperty("detail").GetString()}").ToList();
    }

    /// <summary>
    /// The entity's current view (every figure's value, unit, decimals, first value, whether restated and why, which
    /// documents first reported and last changed it) and as-reported view (every document's value of every figure, as
    /// printed, where, when, and through which citation) are the same in both ledgers, figure by figure; so are the
    /// histories of the restated figures, step by step (kind, value, previous value, reasons, document), the reconciliations
    /// of the entity's policy changes, and both exports.
    /// </summary>
    private static async Task SameViewsAsync(HttpClient expected, HttpClient actual, string entity)
    {
        var current = await PagesAsync(expected, $"/api/entities/{entity}/figures?", f => f.GetProperty("figure").GetString()!);
        current.Should().NotBeEmpty();
        var currentBack = await PagesAsync(actual, $"/api/entities/{entity}/figures?", f => f.GetProperty("figure").GetString()!);
        currentBack.Keys.Should().BeEquivalentTo(current.Keys);
        foreach (var (figure, view) in current) currentBack[figure].Should().Be(view, figure);

        static string AsReportedKey(JsonElement f) => $"{f.GetProperty("document").GetProperty("id").GetString()}#{f.GetProperty("figure").GetString()}";
        var reported = await PagesAsync(expected, $"/api/entities/{entity}/figures?view=as-reported&", AsReportedKey);
        var reportedBack = await PagesAsync(actual, $"/api/entities/{entity}/figures?view=as-reported&", AsReportedKey);
        reportedBack.Keys.Should().BeEquivalentTo(reported.Keys);
        foreach (var (key, view) in reported) reportedBack[key].Should().Be(view, key);

        foreach (var figure in current.Keys.Where(f => JsonNode.Parse(current[f])!["restated"]!.GetValue<bool>()))
        {
            var parts = figure.Split('|');
            var url = $"/api/entities/{entity}/figures/{parts[1]}/{parts[2]}/history?scope={parts[3]}{(parts.Length > 4 ? $"&dims={Uri.EscapeDataString(parts[4])}" : "")}";
            (await HistoryAsync(actual, url)).Should().Be(await HistoryAsync(expected, url), figure);
        }
        var profile = (await GetAsync(expected, "/api/entities")).EnumerateArray().Single(e => e.GetProperty("id").GetString() == entity);
        foreach (var change in profile.TryGetProperty("policyChanges", out var changes) ? changes.EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList() : [])
        {
            var url = $"/api/entities/{entity}/policy-changes/{change}/reconciliation";
            (await GetAsync(actual, url)).GetRawText().Should().Be((await GetAsync(expected, url)).GetRawText(), url);
        }

        foreach (var view in new[] { "current", "as-reported" })
            (await ExportAsync(actual, entity, view)).Should().Be(await ExportAsync(expected, entity, view), $"the {view} export of the imported ledger is the original's");
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await LedgerApp.JsonOf(response);
        response.StatusCode.Should().Be(HttpStatusCode.OK, $"{url}: {body}");
        return body;
    }

    /// <summary>
    /// A figure's history without who recorded each step and when (an import is recorded by its own caller, now), nor where
    /// the step's value is printed and how: of a value several passages cite, the history shows the passage first in its
    /// document's package, which an export does not keep (the as-reported view, which it keeps, shows the last).
    /// </summary>
    private static async Task<string> HistoryAsync(HttpClient client, string url)
    {
        var history = JsonNode.Parse((await GetAsync(client, url)).GetRawText())!;
        foreach (var entry in history["entries"]!.AsArray())
            foreach (var name in new[] { "recording", "location", "printed" }) entry!.AsObject().Remove(name);
        return history.ToJsonString();
    }

    /// <summary>Every item of a paged list, by key, as JSON text without the properties named.</summary>
    private static async Task<Dictionary<string, string>> PagesAsync(HttpClient client, string url, Func<JsonElement, string> key, params string[] leftOut)
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var response = await client.GetAsync($"{url}limit=5000{(cursor is null ? "" : $"&cursor={cursor}")}");
            var page = await LedgerApp.JsonOf(response);
            response.StatusCode.Should().Be(HttpStatusCode.OK, page.ToString());
            foreach (var item in page.GetProperty("figures").EnumerateArray())
            {
                var node = JsonNode.Parse(item.GetRawText())!.AsObject();
                foreach (var name in leftOut) node.Remove(name);
                items.Add(key(item), node.ToJsonString());
            }
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        } while (cursor is not null);
        return items;
    }
}
