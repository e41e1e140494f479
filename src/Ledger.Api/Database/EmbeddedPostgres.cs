using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Ledger.Api.Database;

/// <summary>
/// A PostgreSQL server started from the machine's installed binaries on a free loopback port, in a
/// data directory of our own. The service keeps its directory between runs; tests throw theirs away.
/// When we run as root the server runs as the <c>postgres</c> user, because initdb and postgres refuse root.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string DatabaseName = "ledger";
    /// <summary>The cluster's superuser: administration only (backups, restores, this class's own set-up).</summary>
    private const string SuperUser = "ledger";
    /// <summary>
    /// The role the service connects as: it owns the ledger's database, schemas and objects, and is no superuser, so a
    /// stolen service password cannot run programs on the host (<c>copy … to program</c>) or reach other databases' files.
    /// </summary>
    public const string ServiceRole = "ledger_service";
    private readonly string _binDirectory;
    private readonly string _clusterDirectory;
    private readonly bool _throwaway;
    private readonly string? _runAs;
    private bool _stopped;

    private EmbeddedPostgres(string binDirectory, string clusterDirectory, bool throwaway, string? runAs, int port, string password, string servicePassword)
    {
        _binDirectory = binDirectory;
        _clusterDirectory = clusterDirectory;
        _throwaway = throwaway;
        _runAs = runAs;
        Port = port;
        AdminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Database = DatabaseName, Username = SuperUser, Password = password, MaxPoolSize = 10,
        }.ConnectionString;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Database = DatabaseName, Username = ServiceRole, Password = servicePassword,
            // The embedded server is ours alone; a modest pool keeps its memory small on a 2-core machine.
            MaxPoolSize = 40,
        }.ConnectionString;
    }

    public int Port { get; }
    /// <summary>The service's connection: <see cref="ServiceRole"/>, owner of the ledger's database, not a superuser.</summary>
    public string ConnectionString { get; }
    /// <summary>The superuser's connection, for administration and tests; the service never uses it.</summary>
    public string AdminConnectionString { get; }
    public string DataDirectory => _clusterDirectory;

    /// <summary>Where the installed server binaries are, or null when there are none.</summary>
    public static string? FindBinaries(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return File.Exists(Path.Combine(configured, "pg_ctl")) ? configured : null;
        var fromPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .FirstOrDefault(d => d.Length > 0 && File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "initdb")));
        if (fromPath is not null) return fromPath;
        const string debian = "/usr/lib/postgresql";
        if (!Directory.Exists(debian)) return null;
        return Directory.GetDirectories(debian)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .Where(x => File.Exists(Path.Combine(x.Dir, "pg_ctl")) && File.Exists(Path.Combine(x.Dir, "initdb")))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    /// <summary>Starts (creating on first use) the cluster in <paramref name="directory"/>.</summary>
    public static async Task<EmbeddedPostgres> StartAsync(string binDirectory, string directory, bool throwaway, Action<string>? log = null, CancellationToken ct = default)
    {
        var runAs = Environment.UserName == "root" || IsRoot() ? "postgres" : null;
        PrivateFiles.EnsurePrivateDirectory(directory);
        var cluster = Path.Combine(directory, "pg");
        var passwordFile = Path.Combine(directory, "pg.password");

        if (runAs is not null)
        {
            // The postgres user must reach the directory: own it and every parent must be traversable.
            await RunAsync("chown", ["-R", runAs, directory], null, ct);
            var failure = await RunAsync("runuser", ["-u", runAs, "--", "test", "-w", directory], null, ct, throwOnFailure: false);
            if (failure is not null)
                throw new DatabaseUnavailableException(
                    $"The data directory '{directory}' is not reachable by the 'postgres' user that the embedded server runs as (we are root). " +
                    "Choose another with Ledger:DataDirectory (env Ledger__DataDirectory), e.g. under /var/lib or /tmp.");
        }

        if (!File.Exists(Path.Combine(cluster, "PG_VERSION")))
        {
            log?.Invoke($"Creating the embedded PostgreSQL cluster in {cluster} ...");
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            var pwTemp = Path.Combine(directory, "pg.pwfile");
            PrivateFiles.WriteAllText(pwTemp, password);
            if (runAs is not null) await RunAsync("chown", [runAs, pwTemp], null, ct);
            if (Directory.Exists(cluster)) Directory.Delete(cluster, recursive: true);
            await RunPgAsync(binDirectory, runAs, "initdb",
                ["-D", cluster, "-U", SuperUser, "--pwfile", pwTemp, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], ct);
            File.Delete(pwTemp);
            PrivateFiles.WriteAllText(passwordFile, password);
        }

        var secret = (await File.ReadAllTextAsync(passwordFile, ct)).Trim();
        // A data directory of an older build has no service role yet: its password is made now, private from the first byte.
        var servicePasswordFile = Path.Combine(directory, "pg.service-password");
        if (!File.Exists(servicePasswordFile))
            PrivateFiles.WriteAllText(servicePasswordFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant());
        var serviceSecret = (await File.ReadAllTextAsync(servicePasswordFile, ct)).Trim();
        // A server left running by a process that died is stopped, so that we own the one we start.
        if (await RunPgAsync(binDirectory, runAs, "pg_ctl", ["-D", cluster, "status"], ct, throwOnFailure: false) is null)
            await RunPgAsync(binDirectory, runAs, "pg_ctl", ["-D", cluster, "-m", "fast", "-w", "stop"], ct, throwOnFailure: false);

        var port = FreePort();
        // wal_level=minimal: the embedded server has no replicas and is backed up with pg_dump, so its log need only make
        // it crash-safe; a table emptied and filled again in one transaction (a rebuild's COPY), or an index built in one,
        // is then written once and synced at commit instead of also going through the log (at medium, 1.1 s of
        // PostgreSQL's 7.5 s of the stated values' rebuild). Crash recovery is the same.
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=100 -c wal_level=minimal -c max_wal_senders=0 " +
            $"-c fsync={(throwaway ? "off" : "on")} -c synchronous_commit={(throwaway ? "off" : "on")} -c full_page_writes={(throwaway ? "off" : "on")}";
        await RunPgAsync(binDirectory, runAs, "pg_ctl",
            ["-D", cluster, "-l", Path.Combine(directory, "postgres.log"), "-o", options, "-w", "-t", "60", "start"], ct, environment: ServerMalloc());

        var server = new EmbeddedPostgres(binDirectory, cluster, throwaway, runAs, port, secret, serviceSecret);
        await server.EnsureDatabaseAsync(serviceSecret, ct);
        log?.Invoke($"Embedded PostgreSQL is listening on 127.0.0.1:{port} (data in {cluster}).");
        return server;
    }

    /// <summary>
    /// The ledger's database, owned by the service role, with every object in it (made by the service or, in a data
    /// directory of an older build, by the superuser) owned by that role too. Idempotent; a few catalog queries per start.
    /// </summary>
    private async Task EnsureDatabaseAsync(string servicePassword, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync(ct);
            // The password is hex (RandomNumberGenerator): nothing in it needs quoting, and role DDL takes no parameters.
            if (servicePassword.Any(c => !char.IsAsciiHexDigit(c))) throw new DatabaseUnavailableException("pg.service-password is not one this service wrote.");
            await ExecuteAsync(conn, $"""
                do $do$ begin
                  if not exists (select 1 from pg_roles where rolname = '{ServiceRole}') then
                    create role {ServiceRole} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password '{servicePassword}';
                  else
                    alter role {ServiceRole} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password '{servicePassword}';
                  end if;
                end $do$
                """, ct);
            await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @n", conn);
            exists.Parameters.AddWithValue("n", DatabaseName);
            await ExecuteAsync(conn, await exists.ExecuteScalarAsync(ct) is null
                ? $"create database {DatabaseName} owner {ServiceRole}"
                : $"alter database {DatabaseName} owner to {ServiceRole}", ct);
        }
        var ledger = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ConnectionString;
        await using var db = new NpgsqlConnection(ledger);
        await db.OpenAsync(ct);
        await ExecuteAsync(db, HandOverSql, ct);
    }

    /// <summary>Every schema, table, view, sequence, function and type of the ledger's database that the superuser owns goes to the service role.</summary>
    private static readonly string HandOverSql = $$"""
        do $do$
        declare r record; su oid := (select oid from pg_roles where rolname = '{{SuperUser}}');
        begin
          for r in select n.nspname from pg_namespace n
                   where n.nspowner = su and n.nspname not like 'pg\_%' and n.nspname <> 'information_schema' loop
            execute format('alter schema %I owner to {{ServiceRole}}', r.nspname);
          end loop;
          -- Tables first: a table takes the sequences its columns own along with it.
          for r in select c.oid::regclass as name, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                   where c.relowner = su and c.relkind in ('r', 'p', 'v', 'm', 'f')
                     and n.nspname not like 'pg\_%' and n.nspname <> 'information_schema' loop
            execute format('alter %s %s owner to {{ServiceRole}}',
              case r.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'f' then 'foreign table' else 'table' end, r.name);
          end loop;
          for r in select c.oid::regclass as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
                   where c.relowner = su and c.relkind = 'S' and n.nspname not like 'pg\_%' and n.nspname <> 'information_schema' loop
            execute format('alter sequence %s owner to {{ServiceRole}}', r.name);
          end loop;
          for r in select p.oid::regprocedure as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                   where p.proowner = su and n.nspname not like 'pg\_%' and n.nspname <> 'information_schema' loop
            execute format('alter routine %s owner to {{ServiceRole}}', r.name);
          end loop;
          for r in select t.oid::regtype as name from pg_type t join pg_namespace n on n.oid = t.typnamespace
                   where t.typowner = su and t.typtype in ('c', 'd', 'e', 'r', 'm') and t.typrelid = 0
                     and n.nspname not like 'pg\_%' and n.nspname <> 'information_schema' loop
            execute format('alter type %s owner to {{ServiceRole}}', r.name);
          end loop;
        end $do$
        """;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        // A throwaway cluster needs no clean shutdown: "immediate" stops it at once, which matters when
        // the test host gives its exit handlers little time.
        await RunPgAsync(_binDirectory, _runAs, "pg_ctl", ["-D", _clusterDirectory, "-m", _throwaway ? "immediate" : "fast", "-w", "-t", "30", "stop"],
            CancellationToken.None, throwOnFailure: false);
        if (_throwaway) Directory.Delete(Path.GetDirectoryName(_clusterDirectory)!, recursive: true);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>
    /// Removes throwaway clusters under <paramref name="parent"/> whose server no longer runs: left behind
    /// when a test run was killed before it could clean up. A cluster younger than ten minutes is left
    /// alone: another run may still be creating it (initdb writes no pid file).
    /// </summary>
    public static void RemoveAbandonedThrowawayClusters(string parent, string prefix)
    {
        foreach (var dir in Directory.GetDirectories(parent, prefix + "*"))
        {
            try
            {
                var pidFile = Path.Combine(dir, "pg", "postmaster.pid");
                var running = File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && Directory.Exists($"/proc/{pid}");
                var young = DateTime.UtcNow - Directory.GetCreationTimeUtc(dir) < TimeSpan.FromMinutes(10);
                if (!running && !young) Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Another process is removing it at the same time (a test run's fixtures start together): one of the two
                // finds a file or directory gone under it. Seen once, 2026-12-06, failing a test's start. What is left,
                // if anything, the next run removes.
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static bool IsRoot()
    {
        try { return File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0"); }
        // No /proc (not Linux): PostgreSQL's initdb refuses root only where it can tell, and it says so itself.
        catch (IOException) { return false; }
    }

    /// <summary>
    /// glibc's malloc settings for the server's processes, unless the environment sets its own. By default glibc gives
    /// a backend's freed memory back to the system as soon as a few MB of it are free at the top of its heap (and serves
    /// large blocks by mmap), so the memory a large statement builds and drops, page by page, is faulted in afresh
    /// by the next one: receiving a chunk's 4,000 events as jsonb cost PostgreSQL 2.1-2.8 s per 100,000 events,
    /// 0.3 with these (a backend keeps up to 256 MB of freed memory for its next statement). README, "Which PostgreSQL".
    /// </summary>
    internal static Dictionary<string, string> ServerMalloc()
    {
        var settings = new Dictionary<string, string> { ["MALLOC_MMAP_THRESHOLD_"] = "33554432", ["MALLOC_TRIM_THRESHOLD_"] = "268435456" };
        foreach (var name in settings.Keys.ToList())
            if (Environment.GetEnvironmentVariable(name) is not null) settings.Remove(name);
        return settings;
    }

    private static Task<string?> RunPgAsync(string bin, string? runAs, string tool, IReadOnlyList<string> args, CancellationToken ct, bool throwOnFailure = true,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var exe = Path.Combine(bin, tool);
        return runAs is null
            ? RunAsync(exe, args, bin, ct, throwOnFailure, environment)
            : RunAsync("runuser", ["-u", runAs, "--", exe, .. args], bin, ct, throwOnFailure, environment);
    }

    /// <summary>Runs a command; returns null on success, else its output (or throws).</summary>
    private static async Task<string?> RunAsync(string file, IReadOnlyList<string> args, string? workingDirectory, CancellationToken ct, bool throwOnFailure = true,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            // runuser keeps the working directory; the postgres user may not be able to enter ours.
            WorkingDirectory = workingDirectory ?? "/",
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // runuser passes the environment on (it is not a login).
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode == 0) return null;
        var output = $"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}".Trim();
        if (throwOnFailure) throw new DatabaseUnavailableException($"The embedded PostgreSQL could not be started. {output}");
        return output;
    }
}

/// <summary>No database could be had; the message says what to install or configure.</summary>
public sealed class DatabaseUnavailableException(string message) : Exception(message);
