using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Projections.Figures;
using Ledger.Tests.Infrastructure;
using Ledger.Projections.Documents;

namespace Ledger.Tests.Ingestion;

[Collection(LedgerCollection.Name)]
public class IdempotencyAndOrderTests(LedgerApp app)
{
    private static string SeedPath(string file) => Path.Combine(AppContext.BaseDirectory, "seeds", file);

    [Theory]
    [InlineData("688083.SH-AR2023.json")]
    [InlineData("3896.HK-PR2024.json")]
    [InlineData("0020.HK-AR2023.json")]
    [InlineData("0268.HK-PR2023.json")]
    public async Task Reposting_a_seed_package_records_nothing_and_says_so(string file)
    {
        var before = await app.EventCountAsync();
        var response = await app.PostPackageAsync(await File.ReadAllTextAsync(SeedPath(file)));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await LedgerApp.JsonOf(response)).GetProperty("recorded").GetInt32().Should().Be(0);
        (await app.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Reposting_a_seed_package_with_one_value_changed_is_refused_and_names_the_figure()
    {
        var package = JsonNode.Parse(await File.ReadAllTextAsync(SeedPath("688083.SH-AR2023.json")))!;
        var fact = package["facts"]!.AsArray().First(f => f!["concept"]!.GetValue<string>() == "Revenue" && f["period"]!.GetValue<string>() == "FY2023")!;
        fact["printed"] = "827,590,280.50"; // the report prints 827,590,280.49
        var before = await app.EventCountAsync();

        var response = await app.PostPackageAsync(package.Json());

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var problem = await LedgerApp.JsonOf(response);
        problem.GetProperty("differences").EnumerateArray().Select(d => d.GetProperty("figure").GetString())
            .Should().Equal("688083.SH|Revenue|FY2023|consolidated");
        (await app.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_package_marked_as_a_correction_fixes_the_transcription_and_keeps_it_apart_from_restatements()
    {
        var first = MadeUp.Package("CORR.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("GrossProfit", "FY2023", "400"));
        (await app.PostPackageAsync(first.Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        var fixedPackage = MadeUp.Package("CORR.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,001"), MadeUp.Fact("GrossProfit", "FY2023", "400"));
        fixedPackage["correction"] = new JsonObject { ["reason"] = "typed 1,000 for the printed 1,001" };

        var response = await app.PostPackageAsync(fixedPackage.Json());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        await using var q = app.Store.QuerySession();
        var revenue = await FigureReads.LoadAsync(q, "CORR.A|Revenue|FY2023|consolidated", CancellationToken.None);
        revenue!.Current!.Value.Should().Be(1001m);
        revenue.Restated.Should().BeFalse("a transcription fix is not a company restatement");
        var correction = revenue.Corrections.Should().ContainSingle().Subject;
        correction.Reason.Should().Be("typed 1,000 for the printed 1,001");
        correction.Previous.Select(p => p.Value.Value).Should().Equal(1000m);
        correction.Corrected.Select(c => c.Value.Value).Should().Equal(1001m);
        var history = await app.GetJsonAsync("/api/entities/CORR.A/figures/Revenue/FY2023/history");
        history.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).Should().Equal("disclosed");
        history.GetProperty("transcriptionCorrections").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task A_correction_that_withdraws_a_figure_no_document_states_keeps_its_history_of_the_correction()
    {
        var first = MadeUp.Package("CORR.W", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("GrossProfit", "FY2023", "400"));
        (await app.PostPackageAsync(first.Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        var fixedPackage = MadeUp.Package("CORR.W", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
        fixedPackage["correction"] = new JsonObject { ["reason"] = "the report states no gross profit; it was read from another table" };

        (await app.PostPackageAsync(fixedPackage.Json())).StatusCode.Should().Be(HttpStatusCode.OK);

        var history = await app.GetJsonAsync("/api/entities/CORR.W/figures/GrossProfit/FY2023/history");
        history.GetProperty("entries").GetArrayLength().Should().Be(0, "no document states the figure any more");
        var correction = history.GetProperty("transcriptionCorrections").EnumerateArray().Should().ContainSingle().Subject;
        correction.GetProperty("documentId").GetString().Should().Be("CORR.W/AR2023");
        correction.GetProperty("previous")[0].GetProperty("value").GetString().Should().Be("400");
        correction.GetProperty("corrected").GetArrayLength().Should().Be(0);
        await using var q = app.Store.QuerySession();
        (await FigureReads.OfEntityAsync(q, "CORR.W", null, CancellationToken.None)).Select(h => h.Id)
            .Should().Equal("CORR.W|GrossProfit|FY2023|consolidated", "CORR.W|Revenue|FY2023|consolidated");
    }

    [Fact]
    public async Task A_correction_that_adds_a_missed_figure_updates_the_documents_counts()
    {
        var first = MadeUp.Package("CORR.D", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
        (await app.PostPackageAsync(first.Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        var fixedPackage = MadeUp.Package("CORR.D", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("GrossProfit", "FY2023", "400"));
        fixedPackage["correction"] = new JsonObject { ["reason"] = "gross profit was left out of the transcription" };

        (await app.PostPackageAsync(fixedPackage.Json())).StatusCode.Should().Be(HttpStatusCode.OK);

        await using var q = app.Store.QuerySession();
        var document = await q.LoadAsync<DocumentSummary>("document:CORR.D/AR2023");
        document!.Facts.Should().Be(2);
        document.TranscriptionCorrections.Should().Be(1);
        (await app.GetJsonAsync("/api/entities/CORR.D/figures/GrossProfit/FY2023")).GetProperty("current").GetProperty("value").GetString().Should().Be("400");
    }

    [Fact]
    public async Task A_correction_of_a_figure_stated_twice_keeps_both_statements_as_the_document_prints_them()
    {
        var first = MadeUp.Package("CORR.B", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "7,785,180", scale: "thousands"), MadeUp.Fact("Revenue", "FY2023", "7,785.2", scale: "millions"));
        (await app.PostPackageAsync(first.Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        var fixedPackage = MadeUp.Package("CORR.B", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "7,785,181", scale: "thousands"), MadeUp.Fact("Revenue", "FY2023", "7,785.2", scale: "millions"));
        fixedPackage["correction"] = new JsonObject { ["reason"] = "thousands figure mistyped" };

        (await app.PostPackageAsync(fixedPackage.Json())).StatusCode.Should().Be(HttpStatusCode.OK);

        await using var q = app.Store.QuerySession();
        var revenue = await FigureReads.LoadAsync(q, "CORR.B|Revenue|FY2023|consolidated", CancellationToken.None);
        revenue!.Statements.Select(s => s.Value.Value.Value).Should().BeEquivalentTo([7_785_181_000m, 7_785_200_000m]);
        revenue.Current!.Value.Should().Be(7_785_181_000m, "the more precise statement stands");
    }

    [Fact]
    public async Task A_correction_that_changes_more_than_figures_is_refused_and_writes_nothing()
    {
        var first = MadeUp.Package("CORR.C", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "100"));
        (await app.PostPackageAsync(first.Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        var other = MadeUp.Package("CORR.C", "AR2023", "2024-03-02", MadeUp.Fact("Revenue", "FY2023", "101"));
        other["correction"] = new JsonObject { ["reason"] = "date and figure" };
        var before = await app.EventCountAsync();

        var response = await app.PostPackageAsync(other.Json());

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await app.EventCountAsync()).Should().Be(before);
        (await app.CurrentAsync("CORR.C", "Revenue", "FY2023")).Value.Should().Be("100");
    }

    [Fact]
    public async Task The_same_package_formatted_differently_records_nothing()
    {
        JsonObject Exact(string concept, string value)
        {
            var fact = MadeUp.Fact(concept, "FY2023", "0");
            fact.Remove("printed");
            fact["value"] = value;
            fact["decimals"] = 0;
            return fact;
        }
        var package = MadeUp.Package("FMT.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "100"), Exact("GrossProfit", "40"));
        (await app.PostPackageAsync(package.Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        // Facts in another order, the value 40 written as 40.0, indented.
        var reordered = MadeUp.Package("FMT.A", "AR2023", "2024-03-01", Exact("GrossProfit", "40.0"), MadeUp.Fact("Revenue", "FY2023", "100"));
        var indented = reordered.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        var response = await app.PostPackageAsync(indented);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await LedgerApp.JsonOf(response)).GetProperty("recorded").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task A_correction_that_withdraws_a_misread_restatement_withdraws_the_cited_value_from_the_earlier_document()
    {
        var misread = MadeUp.Package("CITE.A", "AR2023", "2024-03-20", MadeUp.Fact("Revenue", "FY2023", "1,000"));
        misread["citedDocuments"] = new JsonArray(new JsonObject { ["id"] = "CITE.A/AR2022", ["kind"] = "annual-report", ["title"] = "AR2022" });
        misread["restatements"] = new JsonArray(MadeUp.Restatement("ProfitLoss", "FY2022", "50", "45", "CITE.A/AR2022"));
        (await app.PostPackageAsync(misread.Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        (await AsReportedIn("CITE.A/AR2022")).Should().Equal("CITE.A|ProfitLoss|FY2022|consolidated");

        // The document only states 2022's profit as a comparative; nothing was restated.
        var corrected = MadeUp.Package("CITE.A", "AR2023", "2024-03-20", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("ProfitLoss", "FY2022", "45"));
        corrected["citedDocuments"] = new JsonArray(new JsonObject { ["id"] = "CITE.A/AR2022", ["kind"] = "annual-report", ["title"] = "AR2022" });
        corrected["correction"] = new JsonObject { ["reason"] = "the comparative was read as a restatement" };
        (await app.PostPackageAsync(corrected.Json())).StatusCode.Should().Be(HttpStatusCode.OK);

        (await AsReportedIn("CITE.A/AR2022")).Should().BeEmpty("AR2023 no longer cites a value of AR2022");
        (await AsReportedIn("CITE.A/AR2023")).Should().Contain("CITE.A|ProfitLoss|FY2022|consolidated");
        var history = await app.GetJsonAsync("/api/entities/CITE.A/figures/ProfitLoss/FY2022/history");
        history.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).Should().Equal("disclosed");
    }

    private async Task<List<string>> AsReportedIn(string document) =>
        (await app.GetJsonAsync("/api/entities/CITE.A/figures?view=as-reported")).GetProperty("figures").EnumerateArray()
            .Where(f => f.GetProperty("document").GetProperty("id").GetString() == document)
            .Select(f => f.GetProperty("figure").GetString()!).ToList();

    [Fact]
    public async Task Documents_loaded_out_of_publication_order_give_the_same_history_as_in_order()
    {
        async Task<string> HistoryAfterLoading(string entity, bool reversed)
        {
            var ar2022 = MadeUp.Package(entity, "AR2022", "2023-03-20", MadeUp.Fact("Revenue", "FY2022", "900"), MadeUp.Fact("ProfitLoss", "FY2022", "50"));
            var ar2023 = MadeUp.Package(entity, "AR2023", "2024-03-20", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("Revenue", "FY2022", "900"));
            ar2023["citedDocuments"] = new JsonArray(new JsonObject { ["id"] = $"{entity}/AR2022", ["kind"] = "annual-report", ["title"] = "AR2022" });
            ar2023["restatements"] = new JsonArray(MadeUp.Restatement("ProfitLoss", "FY2022", "50", "45", $"{entity}/AR2022"));
            foreach (var p in reversed ? new[] { ar2023, ar2022 } : [ar2022, ar2023])
                (await app.PostPackageAsync(p.Json())).StatusCode.Should().Be(HttpStatusCode.Created);

            await using var q = app.Store.QuerySession();
            var histories = new List<object>();
            foreach (var figure in new[] { "Revenue|FY2022", "ProfitLoss|FY2022" })
            {
                var h = await FigureReads.LoadAsync(q, $"{entity}|{figure}|consolidated", CancellationToken.None);
                histories.Add(h!.Timeline.Select(t => new { t.Kind, Document = t.DocumentId.Split('/')[1], t.PublishedOn, t.Value.Value, t.Delta, Reasons = t.Reasons.Select(r => r.Kind) }));
            }
            return JsonSerializer.Serialize(histories);
        }

        var inOrder = await HistoryAfterLoading("ORDER.A", reversed: false);
        var reversed = await HistoryAfterLoading("ORDER.B", reversed: true);

        reversed.Should().Be(inOrder);
        inOrder.Should().Contain("\"Kind\":\"restated\"").And.Contain("\"Kind\":\"reaffirmed\"");
    }
}

[Collection(LedgerCollection.Name)]
public class RestatementFlagTests(LedgerApp app)
{
    [Fact]
    public async Task A_restatement_whose_before_value_is_not_what_the_ledger_held_is_recorded_and_flagged()
    {
        (await app.PostPackageAsync(MadeUp.Package("FLAG.A", "AR2022", "2023-03-20", MadeUp.Fact("ProfitLoss", "FY2022", "50")).Json()))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var later = MadeUp.Package("FLAG.A", "AR2023", "2024-03-20", MadeUp.Fact("Revenue", "FY2023", "1"));
        later["restatements"] = new JsonArray(MadeUp.Restatement("ProfitLoss", "FY2022", "55", "45", "FLAG.A/AR2022"));

        var response = await app.PostPackageAsync(later.Json());

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await LedgerApp.JsonOf(response)).GetProperty("warnings").EnumerateArray().Single()
            .GetProperty("figure").GetString().Should().Be("FLAG.A|ProfitLoss|FY2022|consolidated");
        var history = await app.GetJsonAsync("/api/entities/FLAG.A/figures/ProfitLoss/FY2022/history");
        var restated = history.GetProperty("entries").EnumerateArray().Last();
        restated.GetProperty("kind").GetString().Should().Be("restated");
        restated.GetProperty("beforeDisagreesWithLedger").GetBoolean().Should().BeTrue();
        restated.GetProperty("previous").GetProperty("value").GetString().Should().Be("50");
    }
}
