namespace Ledger.Api.Database;

/// <summary>
/// The database the service uses, and where it came from (never the secret). <see cref="DataDirectory"/> is the
/// embedded default's folder, which also keeps the generated API key.
/// </summary>
public sealed record LedgerDatabase(string ConnectionString, string Source, string Description, EmbeddedPostgres? Embedded, string? DataDirectory = null);

/// <summary>
/// Decides which PostgreSQL the service uses: a configured connection string, else the embedded default
/// on the installed server binaries, else a clear error naming the ways to give it one.
/// </summary>
public static class DatabaseResolver
{
    public const string NoDatabaseMessage =
        "Ledger needs PostgreSQL and found none. Give it one of: (1) a connection string in ConnectionStrings:Ledger " +
        "(environment variable ConnectionStrings__Ledger), e.g. \"Host=127.0.0.1;Port=5432;Database=ledger;Username=ledger;Password=...\"; " +
        "(2) the PostgreSQL server binaries (Debian/Ubuntu: apt-get install postgresql; or set Ledger:PostgresBin to the folder holding " +
        "initdb and pg_ctl), which Ledger then starts itself as its embedded default; or (3) Docker: docker compose up, which runs " +
        "PostgreSQL 15 and the service together.";

    public static async Task<LedgerDatabase> ResolveAsync(IConfiguration configuration, Action<string> log, CancellationToken ct = default)
    {
        var configured = configuration.GetConnectionString("Ledger");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var b = new Npgsql.NpgsqlConnectionStringBuilder(configured);
            return new LedgerDatabase(configured, "configured", $"{b.Host}:{b.Port}/{b.Database}", null);
        }

        var bin = EmbeddedPostgres.FindBinaries(configuration["Ledger:PostgresBin"]) ?? throw new DatabaseUnavailableException(NoDatabaseMessage);
        var directory = configuration["Ledger:DataDirectory"] ?? DefaultDataDirectory();
        var server = await EmbeddedPostgres.StartAsync(bin, directory, throwaway: false, log, ct);
        return new LedgerDatabase(server.ConnectionString, "embedded", $"127.0.0.1:{server.Port}/ledger ({server.DataDirectory})", server, directory);
    }

    /// <summary>
    /// The user's local data folder; as root, /var/lib/ledger, because the server then runs as the
    /// postgres user, who cannot enter /root.
    /// </summary>
    public static string DefaultDataDirectory() =>
        Environment.UserName == "root"
            ? "/var/lib/ledger"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "ledger");
}
