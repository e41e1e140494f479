using JasperFx;
using Ledger.Api.Database;
using Ledger.Api.Entities;
using Ledger.Api.Http;
using Ledger.Api.Ingestion;
using Ledger.Api.Security;
using Ledger.Api.Workbench;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

// Drafting facts from a seed text touches no database or host: nothing else is set up for it.
if (args is ["draft", ..]) return DraftCommand.Run(args);
// JasperFx's `projections` command: `projections list` shows the views and their lifecycles, and is let through. Nothing
// else of it serves here: every view is inline (its `run` has nothing to run), and its rebuild would replay the views
// through Marten's daemon without the mark that makes services in other processes answer 503 meanwhile (RebuildGate) and
// without the stated values' COPY, which `rebuild` does. JasperFx reads the command's name in any case.
if (args is [var command, ..] && command.Equals("projections", StringComparison.OrdinalIgnoreCase) && args is not [_, "list", ..])
{
    Console.Error.WriteLine($"{string.Join(' ', args)}: only `projections list` runs here; rebuild the views with `rebuild` " +
        "(dotnet run --project src/Ledger.Api -- rebuild), which marks them as being rebuilt for every service on the database " +
        "and streams the stated values in with COPY; nothing was done.");
    return 2;
}

var builder = WebApplication.CreateBuilder(args);
// The default address only when neither --urls nor ASPNETCORE_URLS (nor ASPNETCORE_HTTP_PORTS) names one;
// a Urls entry in appsettings.json would override the environment variable, so there is none.
if (ListenAddresses.Configured(builder.Configuration) is null) builder.WebHost.UseUrls(ListenAddresses.DefaultUrl);

LedgerDatabase database;
if (args is ["load", ..] or ["bulk-load", ..] or ["import", ..] or ["rebuild"] or ["verify", ..])
{
    try
    {
        return args[0] switch
        {
            "load" => await LoadCommand.RunAsync(args, builder.Configuration),
            "bulk-load" => await BulkLoadCommand.RunAsync(args, builder.Configuration),
            "import" => await Ledger.Api.Imports.ImportCommand.RunAsync(args, builder.Configuration),
            "verify" => await Ledger.Api.Audit.VerifyCommand.RunAsync(args, builder.Configuration, Console.Out),
            _ => await RebuildCommand.RunAsync(builder.Configuration),
        };
    }
    catch (DatabaseUnavailableException e) { Console.Error.WriteLine(e.Message); return 2; }
}

try
{
    database = await DatabaseResolver.ResolveAsync(builder.Configuration, Console.WriteLine);
}
catch (DatabaseUnavailableException e)
{
    // No stack trace: the message says what to install or configure.
    Console.Error.WriteLine(e.Message);
    return 2;
}

try
{
    ApiKeyRegistry keys;
    try
    {
        // The generated key is shown only on an interactive terminal: redirected output ends in journald or a container log.
        keys = SecuritySetup.Keys(builder.Configuration, database, TimeProvider.System, Console.WriteLine, Console.IsOutputRedirected ? null : Console.WriteLine);
    }
    catch (InvalidApiKeyConfigurationException e)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }

    // Kestrel's own body limit sits just above the package limit, so that the endpoint answers with a problem document.
    builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = DisclosureIngestion.MaxPackageBytes + 1024 * 1024);
    builder.Services.AddSingleton(database);
    builder.Services.AddSingleton(IngestionSlots.From(builder.Configuration));
    builder.Services.AddSingleton(ExpensiveReadSlots.From(builder.Configuration));
    builder.Services.AddSingleton(IdempotencySettings.From(builder.Configuration));
    builder.Services.AddHostedService<IdempotencySweep>();
    builder.Services.AddSingleton<HealthProbe>();
    builder.Services.AddSingleton<EntityCalendars>();
    builder.Services.AddLedgerIngestion(database.ConnectionString)
        // Wolverine builds the sessions endpoints and handlers take, and would commit a handler's writes
        // (AutoApplyTransactions below); the writes of recorded documents own their transaction (Ingestion/SealedWrite).
        .IntegrateWithWolverine();
    // Before anything writes (the seed loader) or reads the chain: the sealing triggers, and a first sealing of old events.
    builder.Services.AddHostedService<Ledger.Api.Audit.AuditChainStartup>();
    builder.Services.AddSingleton<RebuildGate>();
    builder.Services.AddHostedService<BulkLoadRecovery>();
    builder.Services.AddHostedService<ViewsUpToDate>();

    builder.Host.UseWolverine(opts =>
    {
        opts.ApplicationAssembly = typeof(Program).Assembly;
        opts.Policies.AutoApplyTransactions();
        // One service per database: no leader election among nodes to wait for at start.
        opts.Durability.Mode = DurabilityMode.Solo;
    });
    // After Wolverine's own hosted service, which must have started before anything is sent on the bus (hosted services
    // start in the order they were added): the seeds go through the bus like any other package.
    builder.Services.AddHostedService<SeedLoader>();
    builder.Services.AddWolverineHttp();
    // Endpoints that return a response record are written by Wolverine with Minimal API's JSON options: the same as every other answer.
    builder.Services.ConfigureHttpJsonOptions(o => Problems.Configure(o.SerializerOptions));
    builder.Services.AddProblemDetails(FrameworkProblems.Configure);
    builder.Services.AddOpenApi(OpenApiExamples.Add);
    builder.AddLedgerSecurity(keys);

    var app = builder.Build();
    app.UseCorrelationIds();
    app.UseBrowserHeaders();
    var allowedHosts = AllowedHosts.From(app.Configuration, database.Source == "embedded");
    app.UseAllowedHosts(allowedHosts);
    app.UseUnhandledErrorProblems();
    app.UseRequestTextCheck();
    app.UseStatusCodePages();
    app.UseHeadAsGet();
    app.UseRouting();
    app.UseLedgerSecurity();
    app.UseRebuildGate();
    app.UseExpensiveReadSlots();
    app.UseETags();
    app.MapOpenApi().AllowAnonymous();
    // A query value that does not parse is bad input, answered with a 400, never silently read as the default.
    app.MapWolverineEndpoints(opts => opts.RejectUnparseableQueryValues = true);
    // An address under /api that names nothing is a 404 (or a 405 naming the methods it takes) for everyone,
    // not a 401 from the deny-by-default policy.
    app.MapFallback("/api/{**path}", Methods.NoEndpoint).AllowAnonymous().ExcludeFromDescription();
    app.MapWorkbench();

    Console.WriteLine($"Ledger is using the {database.Source} database at {database.Description}.");
    Console.WriteLine($"API keys: {keys.Origin}. Reads without a key are {(keys.AllowAnonymousReads ? "allowed" : "refused")} ({keys.AnonymousReadsReason}).");
    Console.WriteLine($"Requests are answered for Host {allowedHosts} (Ledger:AllowedHosts).");
    // Options alone (--urls, --Ledger:X=…, as test hosts pass settings) mean "run"; a first word is a JasperFx command (codegen, describe).
    if (args.Length == 0 || args[0].StartsWith('-'))
    {
        await app.RunAsync();
        return 0;
    }
    return await app.RunJasperFxCommands(args);
}
finally
{
    if (database.Embedded is not null) await database.Embedded.StopAsync();
}

/// <summary>The service's entry point; public so that tests can host it.</summary>
public partial class Program;
