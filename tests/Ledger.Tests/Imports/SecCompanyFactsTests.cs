using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Entities;
using Ledger.Api.Imports;
using Ledger.Domain.Values;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Tests.Imports;

/// <summary>
/// SEC company facts in: the two real files of data/sec (as the SEC served them). Every value asserted here was read by
/// hand in those files (concept, period, val, accn, filed). Each test leaves the ledger as the seeds alone make it.
/// </summary>
[Collection(LedgerCollection.Name)]
public class SecCompanyFactsTests(LedgerApp app) : IAsyncLifetime
{
    private const string Snowflake = "CIK0001640147";
    private const string Lpa = "CIK0001997711";
    private const string Revenue = "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax";
    private static string SnowflakeFile => Repository.File("data", "sec", "CIK0001640147-snowflake-companyfacts.json");
    private static string LpaFile => Repository.File("data", "sec", "CIK0001997711-logistic-properties-companyfacts.json");

    public Task InitializeAsync() => Task.CompletedTask;

    // The imports would otherwise stay for the test classes after this one (entity lists, checks over every entity).
    public Task DisposeAsync() => app.ResetAsync();

    private async Task<JsonElement> ImportAsync(string json, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await app.Client.PostAsync("/api/imports/sec-companyfacts", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await LedgerApp.JsonOf(response);
        response.StatusCode.Should().Be(expected, body.ToString());
        return body;
    }

    private async Task<JsonElement> FigureAsync(string entity, string concept, string period, string query = "") =>
        await app.GetJsonAsync($"/api/entities/{entity}/figures/{concept}/{period}{query}");

    private async Task<List<(string Kind, string Document, string Value)>> HistoryAsync(string entity, string concept, string period, string query = "") =>
        (await app.GetJsonAsync($"/api/entities/{entity}/figures/{concept}/{period}/history{query}")).GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("kind").GetString()!, e.GetProperty("document").GetProperty("id").GetString()!, e.GetProperty("value").GetProperty("value").GetString()!))
            .ToList();

    [Fact]
    public async Task Snowflake_imports_as_its_19_filings_with_a_fiscal_year_ending_31_January_and_a_second_import_records_nothing()
    {
        var result = await ImportAsync(await File.ReadAllTextAsync(SnowflakeFile));
        result.GetProperty("entity").GetString().Should().Be(Snowflake);
        result.GetProperty("documents").GetInt32().Should().Be(19);
        result.GetProperty("recorded").GetInt32().Should().Be(19);
        result.GetProperty("facts").GetInt32().Should().Be(8163);
        result.GetProperty("fiscalYearEnd").GetString().Should().Be("--01-31");
        result.GetProperty("recordedDocuments")[0].GetString().Should().Be($"{Snowflake}/0001640147-20-000023", "filings in filing order (2020-12-03 first)");

        var entities = await app.GetJsonAsync("/api/entities?limit=200");
        entities.EnumerateArray().Single(e => e.GetProperty("id").GetString() == Snowflake).GetProperty("fiscalYearEnd").GetString().Should().Be("--01-31");
        entities.GetRawText().Should().Contain("SNOWFLAKE INC.");

        // FY2024 is Snowflake's: 1 February 2023 to 31 January 2024; its explicit id names the same figure.
        var year = await FigureAsync(Snowflake, Revenue, "FY2024");
        year.GetProperty("period").GetString().Should().Be("2023-02-01..2024-01-31");
        year.GetProperty("current").GetProperty("value").GetString().Should().Be("2806489000");
        year.GetProperty("current").GetProperty("unit").GetString().Should().Be("USD");
        year.GetProperty("current").GetProperty("decimals").GetString().Should().Be("-3", "2,806,489,000 is rounded to the thousand");
        (await FigureAsync(Snowflake, Revenue, "2023-02-01..2024-01-31")).GetProperty("figure").GetString().Should().Be(year.GetProperty("figure").GetString());
        // Its third quarter, and the nine months to date (a period that is neither a year nor a quarter).
        (await FigureAsync(Snowflake, Revenue, "2024Q3")).GetProperty("current").GetProperty("value").GetString().Should().Be("734173000");
        (await FigureAsync(Snowflake, Revenue, "2024Q3")).GetProperty("period").GetString().Should().Be("2023-08-01..2023-10-31");
        (await FigureAsync(Snowflake, Revenue, "2023-02-01..2023-10-31")).GetProperty("current").GetProperty("value").GetString().Should().Be("2031790000");

        // The closing cash of FY2024, stated by its 10-K and repeated by the four filings after it.
        var cash = await HistoryAsync(Snowflake, "us-gaap:CashAndCashEquivalentsAtCarryingValue", "2024-01-31");
        cash.Should().HaveCount(5);
        cash[0].Should().Be(("disclosed", $"{Snowflake}/0001640147-24-000101", "1762749000"));
        cash.Skip(1).Select(c => c.Kind).Should().AllBe("reaffirmed");

        // A statement of the fiscal year: the year's flows and the balances at its last day.
        var statement = await app.GetJsonAsync($"/api/entities/{Snowflake}/statements/FY2024");
        statement.GetProperty("period").GetString().Should().Be("2023-02-01..2024-01-31");
        var lines = statement.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("figure").GetString()!).ToList();
        lines.Should().Contain($"{Snowflake}|{Revenue}|2023-02-01..2024-01-31|consolidated")
            .And.Contain($"{Snowflake}|us-gaap:CashAndCashEquivalentsAtCarryingValue|2024-01-31|consolidated");

        var events = await app.EventCountAsync();
        var again = await ImportAsync(await File.ReadAllTextAsync(SnowflakeFile));
        again.GetProperty("recorded").GetInt32().Should().Be(0);
        again.GetProperty("alreadyInLedger").GetInt32().Should().Be(19);
        (await app.EventCountAsync()).Should().Be(events);
    }

    [Fact]
    public async Task A_fiscal_calendar_remembered_from_an_earlier_read_is_only_a_guess_that_the_profile_read_with_it_corrects()
    {
        await ImportAsync(await File.ReadAllTextAsync(SnowflakeFile));
        var calendars = app.Services.GetRequiredService<EntityCalendars>();
        var statementOf = async (string entity, string period) => (await app.GetJsonAsync($"/api/entities/{entity}/statements/{period}")).GetRawText();
        // Each read's answer with the right guess (after a first read taught it), then with a wrong one.
        await FigureAsync(Snowflake, Revenue, "FY2024");
        var snowflakeYear = (await FigureAsync(Snowflake, Revenue, "FY2024")).GetRawText();
        var snowflakeStatement = await statementOf(Snowflake, "FY2024");
        var snowflakeHistory = await HistoryAsync(Snowflake, Revenue, "FY2024");
        calendars.Of(Snowflake).Should().Be(FiscalCalendar.Fixed(1, 31));
        calendars.Remember(Snowflake, FiscalCalendar.Fixed(6, 30));
        (await FigureAsync(Snowflake, Revenue, "FY2024")).GetRawText().Should().Be(snowflakeYear);
        calendars.Remember(Snowflake, FiscalCalendar.Fixed(6, 30));
        (await statementOf(Snowflake, "FY2024")).Should().Be(snowflakeStatement);
        calendars.Remember(Snowflake, FiscalCalendar.Fixed(6, 30));
        (await HistoryAsync(Snowflake, Revenue, "FY2024")).Should().Equal(snowflakeHistory);
        calendars.Of(Snowflake).Should().Be(FiscalCalendar.Fixed(1, 31), "each read remembers the calendar its profile had");

        // A calendar-year entity (ZWSOFT, of the seeds) guessed to end its year on 31 January.
        const string zwsoft = "688083.SH";
        var zwsoftYear = (await FigureAsync(zwsoft, "Revenue", "FY2023")).GetRawText();
        var zwsoftStatement = await statementOf(zwsoft, "FY2022");
        calendars.Remember(zwsoft, FiscalCalendar.Fixed(1, 31));
        (await FigureAsync(zwsoft, "Revenue", "FY2023")).GetRawText().Should().Be(zwsoftYear);
        calendars.Remember(zwsoft, FiscalCalendar.Fixed(1, 31));
        (await statementOf(zwsoft, "FY2022")).Should().Be(zwsoftStatement);
        calendars.Of(zwsoft).Should().Be(FiscalCalendar.CalendarYear);
        JsonDocument.Parse(zwsoftYear).RootElement.GetProperty("period").GetString().Should().Be("FY2023", "its calendar year, not a year ending in January");
    }

    [Fact]
    public async Task A_read_keyed_by_the_right_calendar_is_one_round_trip_and_by_a_wrong_one_two()
    {
        await ImportAsync(await File.ReadAllTextAsync(SnowflakeFile));
        var calendars = new EntityCalendars();
        await using var session = app.Store.QuerySession();
        var roundTrips = 0;
        async Task<EntityPeriodRead<Ledger.Projections.Figures.FigureHistory?>?> ReadAsync(string entity, string concept, string period)
        {
            var read = await EntityPeriodReads.LoadAsync(session, calendars, entity, period,
                p => new Ledger.Projections.Figures.FigureHistoryRead($"{entity}|{concept}|{p.Id}|consolidated"), CancellationToken.None);
            roundTrips += read?.RoundTrips ?? 1;
            return read;
        }

        var first = await ReadAsync(Snowflake, Revenue, "FY2024");
        roundTrips.Should().Be(2, "the first read guessed the calendar year, and its profile said otherwise");
        first!.Read!.Id.Should().Be($"{Snowflake}|{Revenue}|2023-02-01..2024-01-31|consolidated");
        var second = await ReadAsync(Snowflake, Revenue, "FY2024");
        roundTrips.Should().Be(3, "the calendar its profile had is the next read's guess");
        second!.Read!.Id.Should().Be(first.Read.Id);
        (await ReadAsync("688083.SH", "Revenue", "FY2023"))!.Read.Should().NotBeNull();
        roundTrips.Should().Be(4);
        (await ReadAsync("NO.SUCH", "Revenue", "FY2023")).Should().BeNull("the ledger does not hold the entity");
        roundTrips.Should().Be(5);

        // A 404 after a wrong guess names the figure the profile's calendar keys, not the guessed one.
        app.Services.GetRequiredService<EntityCalendars>().Remember("688083.SH", FiscalCalendar.Fixed(1, 31));
        var response = await app.Client.GetAsync("/api/entities/688083.SH/figures/Revenue/FY2031");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var problem = await response.Content.ReadAsStringAsync();
        problem.Should().Contain("|FY2031|consolidated").And.NotContain("2030-02-01");
    }

    [Fact]
    public async Task A_later_filing_that_only_rounds_a_value_re_presents_it_and_one_that_changes_it_restates_it()
    {
        await ImportAsync(await File.ReadAllTextAsync(SnowflakeFile));

        // Restatement: cash equivalents at 31 January 2023, 398,346 thousand in the FY2023 10-K (filed 2023-03-29),
        // 539,390 thousand in the next 10-Q (filed 2023-06-02): no rounding explains it.
        const string equivalents = "us-gaap:CashEquivalentsAtCarryingValue";
        var restated = await FigureAsync(Snowflake, equivalents, "2023-01-31");
        restated.GetProperty("current").GetProperty("value").GetString().Should().Be("539390000");
        restated.GetProperty("original").GetProperty("value").GetString().Should().Be("398346000");
        restated.GetProperty("restated").GetBoolean().Should().BeTrue();
        restated.GetProperty("lastChangedBy").GetProperty("id").GetString().Should().Be($"{Snowflake}/0001640147-23-000102");
        restated.GetProperty("lastChangedBy").GetProperty("publishedOn").GetString().Should().Be("2023-06-02");
        var history = await HistoryAsync(Snowflake, equivalents, "2023-01-31");
        history.Take(2).Should().Equal(("disclosed", $"{Snowflake}/0001640147-23-000030", "398346000"), ("restated", $"{Snowflake}/0001640147-23-000102", "539390000"));
        var entries = (await app.GetJsonAsync($"/api/entities/{Snowflake}/figures/{equivalents}/2023-01-31/history")).GetProperty("entries");
        entries[1].GetProperty("reasons").GetArrayLength().Should().Be(0, "a 10-Q states no reason");
        // Point in time follows the filing dates.
        var before = await FigureAsync(Snowflake, equivalents, "2023-01-31", "?asOf=2023-06-01");
        before.GetProperty("current").GetProperty("value").GetString().Should().Be("398346000");
        before.GetProperty("restated").GetBoolean().Should().BeFalse();

        // Re-presentation, coarser first: 33,000,000 (to the million, FY2022 10-K filed 2022-03-30) then 32,975,000 (to the
        // thousand, FY2023 10-K; the FY2024 10-K repeats it): they agree within rounding; the more precise value stands,
        // and nothing was restated.
        const string upward = "us-gaap:EquitySecuritiesWithoutReadilyDeterminableFairValueUpwardPriceAdjustmentAnnualAmount";
        var represented = await FigureAsync(Snowflake, upward, "FY2022");
        represented.GetProperty("period").GetString().Should().Be("2021-02-01..2022-01-31");
        represented.GetProperty("current").GetProperty("value").GetString().Should().Be("32975000");
        represented.GetProperty("restated").GetBoolean().Should().BeFalse();
        (await HistoryAsync(Snowflake, upward, "FY2022")).Should().Equal(
            ("disclosed", $"{Snowflake}/0001640147-22-000023", "33000000"), ("re-presented", $"{Snowflake}/0001640147-23-000030", "32975000"),
            ("reaffirmed", $"{Snowflake}/0001640147-24-000101", "32975000"));

        // Re-presentation, precise first: 300,273,227 weighted shares (FY2022 10-K), then 300,273,000 (FY2023 and FY2024
        // 10-Ks): the current value stays the precise one, against which each rounding is a re-presentation.
        const string shares = "us-gaap:WeightedAverageNumberOfSharesOutstandingBasic";
        var precise = await FigureAsync(Snowflake, shares, "FY2022");
        precise.GetProperty("current").GetProperty("value").GetString().Should().Be("300273227");
        precise.GetProperty("restated").GetBoolean().Should().BeFalse();
        (await HistoryAsync(Snowflake, shares, "FY2022")).Select(h => (h.Kind, h.Value)).Should().Equal(("disclosed", "300273227"), ("re-presented", "300273000"), ("re-presented", "300273000"));
    }

    [Fact]
    public async Task Both_files_import_through_the_command_line_and_an_amendment_of_the_IFRS_filer_that_changes_a_value_restates_it()
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(LpaFile))!;
        // The file's one 20-F/A (0001641172-25-002932) repeats the 20-F's 31,668,601 shares; here it changes them, as an
        // amendment may: the ledger must say "amendment".
        var outstanding = json["facts"]!["dei"]!["EntityCommonStockSharesOutstanding"]!["units"]!["shares"]!.AsArray();
        var amendment = outstanding.Single(f => f!["form"]!.GetValue<string>() == "20-F/A")!;
        amendment["val"]!.GetValue<long>().Should().Be(31668601);
        amendment["val"] = 31668700; // to the hundred: no rounding of 31,668,601 gives it
        var file = Path.Combine(Path.GetTempPath(), $"ledger-lpa-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json.ToJsonString());
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Ledger"] = app.Database.ConnectionString }).Build();
        try
        {
            // Both files through the command: each company is new to the ledger, so each goes in by the bulk path.
            (await ImportCommand.RunAsync(["import", "sec-companyfacts", file, SnowflakeFile], config)).Should().Be(0);
        }
        finally { File.Delete(file); }
        (await FigureAsync(Snowflake, Revenue, "FY2024")).GetProperty("current").GetProperty("value").GetString().Should().Be("2806489000");
        (await app.GetJsonAsync($"/api/entities/{Snowflake}/documents")).GetArrayLength().Should().Be(19);

        // A calendar-year filer keeps the fiscal ids; its figures in another currency than its own carry the unit.
        var shares = await FigureAsync(Lpa, "ifrs-full:WeightedAverageShares", "FY2023");
        shares.GetProperty("figure").GetString().Should().Be($"{Lpa}|ifrs-full:WeightedAverageShares|FY2023|consolidated");
        shares.GetProperty("current").GetProperty("value").GetString().Should().Be("28600000");
        shares.GetProperty("original").GetProperty("value").GetString().Should().Be("168142740");
        shares.GetProperty("restated").GetBoolean().Should().BeTrue();
        var eps = await FigureAsync(Lpa, "ifrs-full:BasicEarningsLossPerShare", "FY2023");
        eps.GetProperty("current").GetProperty("value").GetString().Should().Be("0.11");
        eps.GetProperty("current").GetProperty("unit").GetString().Should().Be("USD/share");
        eps.GetProperty("current").GetProperty("decimals").GetString().Should().Be("2");
        var peso = await FigureAsync(Lpa, "ifrs-full:ClosingForeignExchangeRate", "2022-12-31", "?dims=unit=COP");
        peso.GetProperty("current").GetProperty("value").GetString().Should().Be("4810");
        peso.GetProperty("current").GetProperty("unit").GetString().Should().Be("COP");

        const string amended = "dei:EntityCommonStockSharesOutstanding";
        var entries = (await app.GetJsonAsync($"/api/entities/{Lpa}/figures/{amended}/2025-04-02/history")).GetProperty("entries");
        entries.GetArrayLength().Should().Be(2);
        entries[0].GetProperty("document").GetProperty("id").GetString().Should().Be($"{Lpa}/0001997711-25-000030");
        entries[1].GetProperty("kind").GetString().Should().Be("restated");
        entries[1].GetProperty("document").GetProperty("id").GetString().Should().Be($"{Lpa}/0001641172-25-002932");
        entries[1].GetProperty("reasons")[0].GetProperty("kind").GetString().Should().Be("amendment");
        var document = await app.GetJsonAsync($"/api/entities/{Lpa}/documents/0001641172-25-002932");
        document.GetProperty("kind").GetString().Should().Be("20-F/A");
        document.GetProperty("amends").GetString().Should().Be($"{Lpa}/0001997711-25-000030", "the 20-F of the same fiscal year, filed five days before");
    }

    [Fact]
    public async Task A_filing_that_changes_every_share_count_and_per_share_amount_by_one_factor_is_said_to_adjust_for_a_share_split()
    {
        // A made-up filer: its FY2023 10-K states 1,000,000 weighted shares and 2.00 a share for 2023; its FY2024 10-K,
        // after a 4-for-1 split, states the same year as 4,000,000 shares and 0.50 a share, and its revenue unchanged.
        static JsonObject Fact(string start, string end, decimal value, string accession, string filed, int fy) => new()
        {
            ["start"] = start, ["end"] = end, ["val"] = value, ["accn"] = accession, ["fy"] = fy, ["fp"] = "FY", ["form"] = "10-K", ["filed"] = filed,
        };
        const string first = "0000000042-24-000001", second = "0000000042-25-000001";
        var json = new JsonObject
        {
            ["cik"] = 42, ["entityName"] = "SPLIT TEST INC.",
            ["facts"] = new JsonObject
            {
                ["us-gaap"] = new JsonObject
                {
                    ["WeightedAverageNumberOfSharesOutstandingBasic"] = new JsonObject { ["units"] = new JsonObject { ["shares"] = new JsonArray(
                        Fact("2023-01-01", "2023-12-31", 1_000_000, first, "2024-02-20", 2023), Fact("2023-01-01", "2023-12-31", 4_000_000, second, "2025-02-20", 2024),
                        Fact("2024-01-01", "2024-12-31", 4_100_000, second, "2025-02-20", 2024)) } },
                    ["EarningsPerShareBasic"] = new JsonObject { ["units"] = new JsonObject { ["USD/shares"] = new JsonArray(
                        Fact("2023-01-01", "2023-12-31", 2.00m, first, "2024-02-20", 2023), Fact("2023-01-01", "2023-12-31", 0.50m, second, "2025-02-20", 2024)) } },
                    ["Revenues"] = new JsonObject { ["units"] = new JsonObject { ["USD"] = new JsonArray(
                        Fact("2023-01-01", "2023-12-31", 90_000_000, first, "2024-02-20", 2023), Fact("2023-01-01", "2023-12-31", 90_000_000, second, "2025-02-20", 2024)) } },
                },
            },
        };
        // The file as it was before the second 10-K, then as it is: the split-adjusting filing arrives by a refresh.
        var older = json.DeepClone();
        foreach (var concept in older["facts"]!["us-gaap"]!.AsObject())
            foreach (var unit in concept.Value!["units"]!.AsObject())
                foreach (var late in unit.Value!.AsArray().Where(f => f!["accn"]!.GetValue<string>() == second).ToList()) unit.Value!.AsArray().Remove(late);
        (await ImportAsync(older.ToJsonString())).GetProperty("recorded").GetInt32().Should().Be(1);
        (await ImportAsync(json.ToJsonString())).GetProperty("recorded").GetInt32().Should().Be(1);

        var eps = (await app.GetJsonAsync("/api/entities/CIK0000000042/figures/us-gaap:EarningsPerShareBasic/FY2023/history")).GetProperty("entries");
        eps.GetArrayLength().Should().Be(2);
        eps[1].GetProperty("kind").GetString().Should().Be("restated");
        eps[1].GetProperty("value").GetProperty("value").GetString().Should().Be("0.5");
        eps[1].GetProperty("reasons")[0].GetProperty("kind").GetString().Should().Be("share-split");
        var history = await app.GetJsonAsync("/api/entities/CIK0000000042/figures/us-gaap:WeightedAverageNumberOfSharesOutstandingBasic/FY2023/history");
        history.GetProperty("entries")[1].GetProperty("reasons")[0].GetProperty("detail").GetString().Should().Be("inferred, factor 4");
        (await FigureAsync("CIK0000000042", "us-gaap:WeightedAverageNumberOfSharesOutstandingBasic", "FY2023")).GetProperty("current").GetProperty("value").GetString().Should().Be("4000000");
        // Neither real file holds a split: no restatement of theirs is put down to one.
        foreach (var file in new[] { SnowflakeFile, LpaFile }) await ImportAsync(await File.ReadAllTextAsync(file));
        (await app.GetJsonAsync($"/api/entities/{Lpa}/figures/ifrs-full:WeightedAverageShares/FY2023/history")).GetRawText().Should().NotContain("share-split");
        foreach (var entity in new[] { Snowflake, Lpa })
            (await app.GetJsonAsync($"/api/entities/{entity}/documents")).EnumerateArray().Sum(d => d.GetProperty("restatements").GetInt32()).Should().Be(0, $"{entity}: no filing adjusts for a split");
    }

    [Fact]
    public async Task A_company_whose_first_file_holds_no_annual_report_closes_on_31_December_and_keeps_that_calendar()
    {
        // A made-up filer whose year really ends on 31 January: its first file holds one 10-Q, a later one its 10-K.
        static JsonObject Fact(string start, string end, decimal value, string accession, string form, string fp, string filed) => new()
        {
            ["start"] = start, ["end"] = end, ["val"] = value, ["accn"] = accession, ["fy"] = 2025, ["fp"] = fp, ["form"] = form, ["filed"] = filed,
        };
        const string quarterly = "0000000043-24-000001", annual = "0000000043-25-000001";
        JsonObject File(params JsonObject[] facts) => new()
        {
            ["cik"] = 43, ["entityName"] = "CALENDAR TEST INC.",
            ["facts"] = new JsonObject { ["us-gaap"] = new JsonObject { ["Revenues"] = new JsonObject { ["units"] = new JsonObject { ["USD"] = new JsonArray(facts) } } } },
        };
        var first = File(Fact("2024-02-01", "2024-04-30", 10_000_000, quarterly, "10-Q", "Q1", "2024-06-01"));
        var later = File(Fact("2024-02-01", "2024-04-30", 10_000_000, quarterly, "10-Q", "Q1", "2024-06-01"),
            Fact("2024-02-01", "2025-01-31", 45_000_000, annual, "10-K", "FY", "2025-03-20"));

        var imported = await ImportAsync(first.ToJsonString());
        imported.GetProperty("recorded").GetInt32().Should().Be(1);
        imported.TryGetProperty("fiscalYearEnd", out _).Should().BeFalse("no annual report: the calendar year, which names no year end");
        var refreshed = await ImportAsync(later.ToJsonString());
        refreshed.GetProperty("recorded").GetInt32().Should().Be(1);
        refreshed.TryGetProperty("fiscalYearEnd", out _).Should().BeFalse("the ledger keeps the calendar it took, not one inferred again");

        (await app.GetJsonAsync("/api/entities?limit=5000")).EnumerateArray().Single(e => e.GetProperty("id").GetString() == "CIK0000000043")
            .TryGetProperty("fiscalYearEnd", out _).Should().BeFalse();
        // The 10-K's year is keyed by its dates: under the calendar year it is no fiscal year.
        (await FigureAsync("CIK0000000043", "us-gaap:Revenues", "2024-02-01..2025-01-31")).GetProperty("current").GetProperty("value").GetString().Should().Be("45000000");
        (await app.Client.GetAsync("/api/entities/CIK0000000043/figures/us-gaap:Revenues/FY2025")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // The later file alone, for a company the ledger did not hold, infers the year its 10-K shows.
        later["cik"] = 44;
        (await ImportAsync(later.ToJsonString())).GetProperty("fiscalYearEnd").GetString().Should().Be("--01-31");
    }

    [Fact]
    public async Task A_newer_file_adds_only_the_filings_the_ledger_lacks_and_old_then_new_gives_the_views_of_new_alone()
    {
        var newer = await File.ReadAllTextAsync(SnowflakeFile);
        // The file as the SEC served it before the 10-Q of 2024-08-29: the same facts without the four filings since.
        var older = JsonNode.Parse(newer)!;
        foreach (var taxonomy in older["facts"]!.AsObject())
            foreach (var concept in taxonomy.Value!.AsObject())
                foreach (var unit in concept.Value!["units"]!.AsObject())
                {
                    var facts = unit.Value!.AsArray();
                    foreach (var late in facts.Where(f => string.CompareOrdinal(f!["filed"]!.GetValue<string>(), "2024-06-01") > 0).ToList()) facts.Remove(late);
                }

        (await ImportAsync(older.ToJsonString())).GetProperty("recorded").GetInt32().Should().Be(15);
        var refresh = await ImportAsync(newer);
        refresh.GetProperty("recorded").GetInt32().Should().Be(4);
        refresh.GetProperty("alreadyInLedger").GetInt32().Should().Be(15);
        refresh.GetProperty("recordedDocuments").EnumerateArray().Select(d => d.GetString()).Should().Equal(
            $"{Snowflake}/0001640147-24-000207", $"{Snowflake}/0001640147-24-000250", $"{Snowflake}/0001640147-25-000052", $"{Snowflake}/0001640147-25-000110");
        var oldThenNew = await ViewsAsync();

        await app.ResetAsync();
        (await ImportAsync(newer)).GetProperty("recorded").GetInt32().Should().Be(19);
        var newAlone = await ViewsAsync();

        newAlone.Current.Count.Should().Be(4781, "the file's distinct figures (concept, unit, period)");
        oldThenNew.Current.Should().Equal(newAlone.Current);
        oldThenNew.AsReported.Should().Equal(newAlone.AsReported);
    }

    /// <summary>Snowflake's current view (each figure's value and whether restated) and as-reported view, every page.</summary>
    private async Task<(List<string> Current, List<string> AsReported)> ViewsAsync()
    {
        async Task<List<string>> All(string view, Func<JsonElement, string> line)
        {
            var lines = new List<string>();
            string? cursor = null;
            do
            {
                var page = await app.GetJsonAsync($"/api/entities/{Snowflake}/figures?view={view}&limit=5000{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
                lines.AddRange(page.GetProperty("figures").EnumerateArray().Select(line));
                cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            } while (cursor is not null);
            return lines;
        }
        return (await All("current", f => $"{f.GetProperty("figure").GetString()} {f.GetProperty("current").GetRawText()} {f.GetProperty("restated").GetBoolean()}"),
            await All("as-reported", f => f.GetRawText()));
    }

    [Fact]
    public async Task Annual_reports_of_the_calendars_first_years_are_refused_not_a_crash()
    {
        // Their year ends are two Mondays no weekday rule gives: inferring the calendar asked for year 0's end (a 500).
        const string json = """
            {"cik": 44, "entityName": "EDGE TEST INC.", "facts": {"us-gaap": {"Revenues": {"units": {"USD": [
              {"start": "0001-01-01", "end": "0001-12-17", "val": 1, "accn": "0000000044-24-000001", "form": "10-K", "filed": "2024-01-01"},
              {"start": "0001-12-31", "end": "0002-12-16", "val": 1, "accn": "0000000044-24-000001", "form": "10-K", "filed": "2024-01-01"}]}}}}}
            """;
        var events = await app.EventCountAsync();
        var problem = await ImportAsync(json, HttpStatusCode.BadRequest);
        problem.GetProperty("errors")[0].GetProperty("detail").GetString().Should().Contain("'0001-01-01..0001-12-17' is not a period");
        (await app.EventCountAsync()).Should().Be(events);
    }

    [Fact]
    public async Task Anything_but_company_facts_is_a_problem_naming_the_first_thing_wrong_and_nothing_is_written()
    {
        var events = await app.EventCountAsync();
        async Task<string> Refused(string body, string path)
        {
            var problem = await ImportAsync(body, HttpStatusCode.BadRequest);
            var errors = problem.GetProperty("errors").EnumerateArray().ToList();
            errors.Should().NotBeEmpty();
            errors[0].GetProperty("path").GetString().Should().StartWith(path);
            return errors[0].GetProperty("detail").GetString()!;
        }

        await Refused("{\"cik\": 1640147,", "$");
        await Refused("[1, 2]", "$");
        await Refused("""{"entityName": "X", "facts": {}}""", "$.cik");
        await Refused("""{"cik": "12x", "entityName": "X", "facts": {}}""", "$.cik");
        await Refused("""{"cik": 1640147, "entityName": "X"}""", "$.facts");
        // A disclosure package is not company facts.
        await Refused(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "seeds", "0268.HK-PR2023.json")), "$.cik");

        // The real file with one fact spoilt: the problem names the concept and the accession.
        var json = JsonNode.Parse(await File.ReadAllTextAsync(SnowflakeFile))!;
        var usd = json["facts"]!["us-gaap"]![Revenue["us-gaap:".Length..]]!["units"]!["USD"]!.AsArray();
        var accession = usd[0]!["accn"]!.GetValue<string>();
        var unitFacts = new JsonArray(usd[0]!.DeepClone());
        json["facts"]!["us-gaap"]![Revenue["us-gaap:".Length..]]!["units"]!.AsObject().Add("USD/EUR", unitFacts);
        (await Refused(json.ToJsonString(), $"$.facts.us-gaap.{Revenue["us-gaap:".Length..]}.units.USD/EUR[0]"))
            .Should().Contain(Revenue).And.Contain(accession).And.Contain("'USD/EUR' is not a unit");
        json["facts"]!["us-gaap"]![Revenue["us-gaap:".Length..]]!["units"]!.AsObject().Remove("USD/EUR");
        usd[0]!["end"] = "2023-13-01";
        (await Refused(json.ToJsonString(), $"$.facts.us-gaap.{Revenue["us-gaap:".Length..]}.units.USD[0].end"))
            .Should().Contain(Revenue).And.Contain(accession).And.Contain("'2023-13-01' is not a date");

        var notJson = await app.Client.PostAsync("/api/imports/sec-companyfacts", new StringContent("cik=1", Encoding.UTF8, "text/plain"));
        notJson.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);

        (await app.EventCountAsync()).Should().Be(events);
        (await app.Client.GetAsync($"/api/entities/{Snowflake}/documents")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
