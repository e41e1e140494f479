using Ledger.Api.Database;
using Npgsql;

namespace Ledger.Tests.Foundation;

/// <summary>
/// The embedded server's processes run with the malloc settings that keep a backend's freed memory for its next
/// statement (<see cref="EmbeddedPostgres.ServerMalloc"/>): without them a package's events cost PostgreSQL several times
/// as much to receive.
/// </summary>
public class EmbeddedServerMallocTests
{
    [Fact]
    public async Task A_backend_of_the_embedded_server_keeps_the_memory_a_statement_freed_for_its_next_one()
    {
        var bin = EmbeddedPostgres.FindBinaries(null) ?? throw new InvalidOperationException("The PostgreSQL server binaries are needed (eng/test.sh installs them).");
        EmbeddedPostgres.ServerMalloc().Should().NotBeEmpty("this test's environment sets neither setting itself");
        var directory = Path.Combine(Path.GetTempPath(), $"ledger-malloc-{Guid.NewGuid():N}"[..28]);
        await using var server = await EmbeddedPostgres.StartAsync(bin, directory, throwaway: true);
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        // The server writes its process title over its environment, so the settings are seen by what they do: with
        // glibc's defaults the backend gave the ~160 MB back at once (resident 14.9 MB before, 15.7 after), with them
        // it keeps it (176 MB after).
        var before = await ResidentKbAsync(connection);
        await using (var transient = new NpgsqlCommand("select cardinality(array_agg(repeat('x', 100))) from generate_series(1, 1000000)", connection))
            (await transient.ExecuteScalarAsync()).Should().Be(1_000_000);
        var after = await ResidentKbAsync(connection);

        (after - before).Should().BeGreaterThan(100_000, "a backend keeps up to 256 MB of freed memory (KB resident before: {0}, after: {1})", before, after);
    }

    private static async Task<long> ResidentKbAsync(NpgsqlConnection connection)
    {
        await using var status = new NpgsqlCommand(
            "select (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmRSS:\\s+(\\d+) kB'))[1]::bigint", connection);
        return (long)(await status.ExecuteScalarAsync())!;
    }
}
