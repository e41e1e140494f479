using System.Text.Json;
using Ledger.Projections;
using Ledger.Projections.Figures;
using Ledger.Tests.Infrastructure;
using Npgsql;

namespace Ledger.Tests.Views;

/// <summary>
/// The endpoints' hot reads are prepared (<see cref="PreparedReads"/>): parsed and planned once per pooled connection, and
/// answering what the same query unprepared answers.
/// </summary>
[Collection(LedgerCollection.Name)]
public class PreparedReadTests(LedgerApp app)
{
    // seed 004 line 239: ZWSOFT FY2022 net profit attributable to owners, 6,003,513.77 (after Interpretation No. 16).
    private const string Figure = "688083.SH|ProfitLossAttributableToOwnersOfParent|FY2022|consolidated";

    [Fact]
    public async Task A_figures_read_is_prepared_once_on_its_connection_and_reads_what_the_unprepared_query_reads()
    {
        await using var session = app.Store.QuerySession();
        await using var connection = await PreparedReads.OpenAsync(session, CancellationToken.None);
        Task<FigureHistory?> ReadAsync() =>
            PreparedReads.RunAsync(connection, PreparedReads.Schema(session), new FigureHistoryRead(Figure), CancellationToken.None);

        var first = await ReadAsync();
        var prepared = await PreparedStatementsAsync(connection);
        prepared.Should().Contain(s => s.Contains("where figure = $1 order by position"), "the figure's rows and its fixes are prepared")
            .And.HaveCountGreaterThanOrEqualTo(2);
        var second = await ReadAsync();
        (await PreparedStatementsAsync(connection)).Should().Equal(prepared, "the second read runs the statements prepared by the first");

        new NpgsqlConnectionStringBuilder(connection.ConnectionString).NoResetOnClose
            .Should().BeTrue("the reads' own pool does not reset a connection that comes back: nothing on it needs resetting");
        CurrentView.Of(first!)!.Value.Value.Should().Be(6_003_513.77m);
        var unprepared = (await FigureReads.LoadManyAsync(session, [Figure], CancellationToken.None)).Single();
        JsonSerializer.Serialize(first).Should().Be(JsonSerializer.Serialize(unprepared));
        JsonSerializer.Serialize(second).Should().Be(JsonSerializer.Serialize(unprepared));
    }

    private static async Task<List<string>> PreparedStatementsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("select statement from pg_prepared_statements order by name", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var statements = new List<string>();
        while (await reader.ReadAsync()) statements.Add(reader.GetString(0));
        return statements;
    }
}
