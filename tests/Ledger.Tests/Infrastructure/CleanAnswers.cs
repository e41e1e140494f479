using Ledger.Api.Database;
using Npgsql;

namespace Ledger.Tests.Infrastructure;

/// <summary>
/// What every answer to hostile input must be: below 500, a problem document when it refuses, and, when it refuses,
/// nothing written (the event count and a digest of every stored view as they were).
/// </summary>
public sealed class CleanAnswers(LedgerApp app)
{
    /// <summary>The views' digest as last computed; dropped when a request was accepted (it may have changed them).</summary>
    private string? _views;

    public async Task ExpectAsync(Func<Task<HttpResponseMessage>> send, string what)
    {
        var events = await app.EventCountAsync();
        var views = _views ??= await ViewFingerprintAsync();

        using var response = await send();

        var status = (int)response.StatusCode;
        status.Should().BeLessThan(500, what);
        if (status >= 400) response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", $"{what} → {status}");
        if (status is < 200 or >= 300)
        {
            (await app.EventCountAsync()).Should().Be(events, $"{what} was refused ({status}) and must write nothing");
            (await ViewFingerprintAsync()).Should().Be(views, $"{what} was refused ({status}) and must change no view");
        }
        else _views = null;
    }

    /// <summary>
    /// One digest of every stored view's rows, in one round trip: per table its row count and the sum of its rows' 64-bit
    /// hashes, which no order of rows changes (an md5 of the rows sorted cost a sort of every view per case).
    /// </summary>
    private async Task<string> ViewFingerprintAsync()
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        var sql = string.Join(" union all ", ProjectionRebuild.ViewTables.Select((table, i) =>
            $"select {i} as n, count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) as digest from {MartenSetup.Schema}.{table} t"));
        await using var command = new NpgsqlCommand($"select string_agg(digest, ';' order by n) from ({sql}) d", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
