using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Ledger.Tests.Infrastructure;
using Npgsql;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Ledger.BrowserTests.Infrastructure;

/// <summary>
/// The real service, started as its own process on a free port (a browser cannot reach an in-memory test
/// server), on a fresh database of the test PostgreSQL, loading the seed packages as on a first start, then
/// importing one SEC filer (Snowflake's company facts, data/sec) through the API; and the system Chromium driven
/// through chromedriver. Shared by every browser test, which run in order.
/// </summary>
public sealed class Workbench : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromedriverPath = "/usr/bin/chromedriver";

    private readonly StringBuilder _serviceOutput = new();
    private Process? _service;
    private TestDatabase? _database;
    private string? _databaseName;

    public string BaseUrl { get; private set; } = "";
    public IWebDriver Driver { get; private set; } = null!;
    public string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        // A missing browser is a failure, never a skip: eng/test.sh installs both.
        if (!File.Exists(ChromiumPath) || !File.Exists(ChromedriverPath))
            throw new InvalidOperationException($"The browser tests need {ChromiumPath} and {ChromedriverPath}: apt-get install chromium chromium-driver (eng/test.sh does this).");

        _database = await TestDatabase.SharedAsync();
        var connectionString = await CreateFreshDatabaseAsync(_database.ConnectionString);
        BaseUrl = $"http://127.0.0.1:{FreePort()}";
        _service = StartService(connectionString, BaseUrl);
        await WaitUntilSeededAsync();
        await ImportSecFilerAsync();
        Driver = StartBrowser(_profile);
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>Its own database, so that the service tests (which empty theirs) can run at the same time.</summary>
    private async Task<string> CreateFreshDatabaseAsync(string serverConnectionString)
    {
        _databaseName = $"ledger_browser_{Guid.NewGuid():N}"[..30];
        await using (var connection = new NpgsqlConnection(serverConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_databaseName}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = _databaseName }.ConnectionString;
    }

    /// <summary>A reader key the service knows, for the page that stores a key.</summary>
    public const string AuditorKey = "auditor-key-0001-browser";
    private const string WriterKey = "writer-key-0001-browser";

    /// <summary>The SEC filer imported beside the seeds: Snowflake, whose fiscal year ends on 31 January.</summary>
    public const string SecFiler = "CIK0001640147";

    private async Task ImportSecFilerAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.Add("X-Api-Key", WriterKey);
        var file = Path.Combine(Seeds.RepositoryRoot, "data", "sec", "CIK0001640147-snowflake-companyfacts.json");
        var response = await http.PostAsync("/api/imports/sec-companyfacts", new ByteArrayContent(await File.ReadAllBytesAsync(file)) { Headers = { ContentType = new("application/json") } });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Importing {file}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{ServiceOutput}");
    }

    private Process StartService(string connectionString, string url)
    {
        var api = ServiceDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = api, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(api, "Ledger.Api.dll"), "--urls", url }) start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Ledger"] = connectionString;
        start.Environment["Ledger__LoadSeeds"] = "true";
        // Reads stay open without a key, as on the embedded default; a key that is sent must be a known one.
        start.Environment["Ledger__AllowAnonymousReads"] = "true";
        start.Environment["Ledger__ApiKeys__0__Name"] = "auditor";
        start.Environment["Ledger__ApiKeys__0__Key"] = AuditorKey;
        start.Environment["Ledger__ApiKeys__0__Role"] = "reader";
        start.Environment["Ledger__ApiKeys__1__Name"] = "importer";
        start.Environment["Ledger__ApiKeys__1__Key"] = WriterKey;
        start.Environment["Ledger__ApiKeys__1__Role"] = "writer";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (_serviceOutput) _serviceOutput.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_serviceOutput) _serviceOutput.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The service built beside this test project, in the same configuration (Debug or Release).</summary>
    private static string ServiceDirectory()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (output.Name, output.Parent!.Name);
        var dir = Path.Combine(Seeds.RepositoryRoot, "src", "Ledger.Api", "bin", configuration, framework);
        if (!File.Exists(Path.Combine(dir, "Ledger.Api.dll"))) throw new InvalidOperationException($"Ledger.Api is not built in {dir}.");
        return dir;
    }

    private async Task WaitUntilSeededAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var expected = Seeds.Entities.Count;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_service!.HasExited) throw new InvalidOperationException($"The service exited with {_service.ExitCode}:\n{ServiceOutput}");
            try
            {
                var response = await http.GetAsync("/api/entities");
                if (response.IsSuccessStatusCode && JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetArrayLength() == expected) return;
            }
            catch (HttpRequestException) { /* not listening yet: poll again */ }
            catch (TaskCanceledException) { /* still starting: poll again */ }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The service did not serve the {expected} seed entities within 90 s:\n{ServiceOutput}");
    }

    public string ServiceOutput { get { lock (_serviceOutput) return _serviceOutput.ToString(); } }

    // A fresh profile keeps runs independent; it is removed when the browser has quit.
    private readonly string _profile = Path.Combine(Path.GetTempPath(), $"ledger-chromium-{Guid.NewGuid():N}");

    private static IWebDriver StartBrowser(string profile)
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromedriverPath)!, Path.GetFileName(ChromedriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        // Headless as root in a closed network: without the background-networking flags Chromium's own
        // connections are refused and slow every page; a fresh profile keeps runs independent.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--lang=en-US", "--window-size=1300,1000", $"--user-data-dir={profile}");
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
        return driver;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async Task DisposeAsync()
    {
        Driver?.Quit();
        if (Directory.Exists(_profile)) Directory.Delete(_profile, recursive: true);
        if (_service is { HasExited: false })
        {
            _service.Kill(entireProcessTree: true);
            await _service.WaitForExitAsync();
        }
        _service?.Dispose();
        if (_database is not null && _databaseName is not null)
        {
            await using var connection = new NpgsqlConnection(_database.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        if (_database is not null) await _database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WorkbenchCollection : ICollectionFixture<Workbench>
{
    public const string Name = "workbench";
}
