using Ledger.Api.Database;
using Testcontainers.PostgreSql;

namespace Ledger.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL the tests run against, resolved once per run: a configured connection string
/// (ConnectionStrings__Ledger); else a Docker engine through Testcontainers; else a throwaway cluster
/// on the installed server binaries, removed afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TestDatabase? _shared;
    private readonly PostgreSqlContainer? _container;
    private readonly EmbeddedPostgres? _embedded;

    private TestDatabase(string connectionString, string source, PostgreSqlContainer? container, EmbeddedPostgres? embedded)
    {
        ConnectionString = connectionString;
        Source = source;
        _container = container;
        _embedded = embedded;
    }

    public string ConnectionString { get; }
    /// <summary>A connection that may create databases (for tests that start the service on a database of its own).</summary>
    public string AdminConnectionString => ConnectionString;
    public string Source { get; }

    public static async Task<TestDatabase> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is not null) return _shared;
            _shared = await StartAsync();
            // Every test class of the run may use the server (the ledger collection, and service processes on databases
            // of their own), and xunit has no end-of-run hook: the server stops when the test process exits (its directory,
            // if the test host ends the process before it is deleted, is removed by the next run's sweep of abandoned clusters).
            var shared = _shared;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => shared.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return _shared;
        }
        finally { Gate.Release(); }
    }

    private static async Task<TestDatabase> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("ConnectionStrings__Ledger");
        if (!string.IsNullOrWhiteSpace(configured)) return new TestDatabase(configured, "configured", null, null);

        if (DockerMayAnswer())
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            try
            {
                await container.StartAsync();
                return new TestDatabase(container.GetConnectionString(), "testcontainers", container, null);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A socket without a working engine behind it: say so and use the installed binaries instead.
                Console.WriteLine($"Docker did not start PostgreSQL ({e.GetType().Name}: {e.Message}); using the installed server binaries.");
                await container.DisposeAsync();
            }
        }

        var bin = EmbeddedPostgres.FindBinaries(null) ?? throw new DatabaseUnavailableException(DatabaseResolver.NoDatabaseMessage);
        EmbeddedPostgres.RemoveAbandonedThrowawayClusters(Path.GetTempPath(), "ledger-tests-");
        var directory = Path.Combine(Path.GetTempPath(), $"ledger-tests-{Guid.NewGuid():N}"[..24]);
        var embedded = await EmbeddedPostgres.StartAsync(bin, directory, throwaway: true);
        // Tests act as the administrator (they create databases, stop servers, tamper with the log); the service's own role is tested apart.
        return new TestDatabase(embedded.AdminConnectionString, "embedded", null, embedded);
    }

    private static bool DockerMayAnswer() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");

    /// <summary>Stops and removes the database; called once, when the test process exits.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null) await _embedded.StopAsync();
        if (_container is not null) await _container.DisposeAsync();
    }
}
