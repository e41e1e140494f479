using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Domain.Figures;
using Ledger.Projections.Figures;
using Ledger.Tests.Infrastructure;
using Marten;

namespace Ledger.Tests.Views;

/// <summary>
/// A stated value is stored as typed columns and two small JSON columns, not as one JSON document (since 2026-12-05): read
/// back for its figure's history, every value must be the one the fold of the log made, to the last field.
/// </summary>
[Collection(LedgerCollection.Name)]
public class StatedValueRowTests(LedgerApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => app.ResetAsync();

    [Fact]
    public async Task Every_stated_value_reads_back_whole_as_the_fold_of_the_log_made_it()
    {
        await VariedLedger.PostAsync(app);

        var expected = await FoldTheLogAsync();
        await using var session = app.Store.QuerySession();
        var read = (await FigureReads.LoadManyAsync(session, expected.Keys, CancellationToken.None))
            .ToDictionary(h => h.Id, h => h.Statements.Select(Json).ToList(), StringComparer.Ordinal);

        // The same figures; in one order, as BeEquivalentTo matches thousands of items pairwise (minutes here).
        read.Keys.Order(StringComparer.Ordinal).Should().Equal(expected.Keys.Order(StringComparer.Ordinal));
        foreach (var (figure, values) in expected) read[figure].Should().Equal(values, $"the stated values of {figure}");
        // What the typed columns cannot hold must be there to be compared.
        var all = expected.Values.SelectMany(v => v).Select(v => JsonNode.Parse(v)!).ToList();
        all.Should().HaveCountGreaterThan(5_000);
        Count(all, v => v["value"]?["printed"]).Should().BeGreaterThan(1_000, "printed text is compared");
        Count(all, v => v["value"]?["scale"]).Should().BeGreaterThan(1_000, "and the scale it is printed in");
        // (No value of these documents names its page; the page is kept with the section and column.)
        Count(all, v => v["location"]?["section"]).Should().BeGreaterThan(1_000, "and the section");
        Count(all, v => v["location"]?["column"]).Should().BeGreaterThan(1_000, "and the column");
        Count(all, v => v["note"]).Should().BeGreaterThan(100, "and a note");
        Count(all, v => v["printedBefore"]).Should().BeGreaterThan(10, "and a restatement's printed before");
        Count(all, v => v["adjustment"]).Should().BeGreaterThan(5, "and its adjustment");
        Count(all, v => v["document"]?["citedBy"]).Should().BeGreaterThan(0, "and the citing document a document of unknown date is known by");
        Count(all, v => v["document"]?["form"]).Should().BeGreaterThan(100, "and a filing's form");
        Count(all, v => v["recording"]?["correlationId"]).Should().BeGreaterThan(100, "and the request that recorded it");
    }

    private static int Count(IEnumerable<JsonNode> values, Func<JsonNode, JsonNode?> part) => values.Count(v => part(v) is not null);

    private static string Json(StatedValue value) => JsonSerializer.Serialize(value, StatedValueJson.Options);

    /// <summary>The stated values the fold makes of the whole log, per figure in the order made, as JSON; a correction's replaced ones gone.</summary>
    private async Task<Dictionary<string, List<string>>> FoldTheLogAsync()
    {
        await using var session = app.Store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
        var sink = new Rows();
        var fold = new StatedValueFold((id, ct) => StatedValuesCopyRebuild.RecordedAsync(session, Ledger.Api.Database.MartenSetup.Schema, id, ct));
        foreach (var e in events) await fold.ApplyAsync(e.Data, e.StreamKey, e.Sequence, sink, CancellationToken.None);
        return sink.Values
            .GroupBy(r => r.Figure, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => Json(r.Value)).ToList(), StringComparer.Ordinal);
    }

    private sealed class Rows : IStatedValueSink
    {
        public List<StatedValueRow> Values { get; } = [];

        public ValueTask AddAsync(StatedValueRow row, CancellationToken ct)
        {
            Values.Add(row);
            return ValueTask.CompletedTask;
        }

        // As the table's delete (StatedValuesCopyRebuild.DeleteCorrectedSql): what the document stated or cited of the figure.
        public Task CorrectAsync(DisclosureCorrected c, StatedValueCorrectionRow kept, CancellationToken ct)
        {
            Values.RemoveAll(r => r.Figure == c.Figure &&
                ((r.Value.Document.Id == c.DocumentId && r.Value.Kind != StatementKinds.Cited) || r.Value.CitedBy == c.DocumentId));
            return Task.CompletedTask;
        }
    }
}
