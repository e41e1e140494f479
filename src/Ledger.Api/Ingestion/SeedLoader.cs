using System.Text.Json.Nodes;
using Ledger.Domain.Events;
using Wolverine;

namespace Ledger.Api.Ingestion;

/// <summary>
/// Loads the seed packages shipped in data/seeds at start-up, through the same ingestion path as
/// POST /api/disclosures. A package already loaded records nothing, so later starts load nothing.
/// </summary>
public sealed class SeedLoader(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<SeedLoader> log) : IHostedService
{
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "seeds");

    public async Task StartAsync(CancellationToken ct)
    {
        if (!configuration.GetValue("Ledger:LoadSeeds", true)) return;
        var directory = configuration["Ledger:SeedDirectory"] ?? DefaultDirectory;
        if (!Directory.Exists(directory)) { log.LogWarning("No seed directory at {Directory}", directory); return; }
        // The bus is scoped (one per request or message); the loader is one caller, at start.
        await using var scope = scopes.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var body = await File.ReadAllBytesAsync(file, ct);
            var result = await bus.RecordAsync(body, new Recording("seed-loader", $"seed package {name}"), ct);
            if (result.Outcome == IngestionOutcome.Conflict)
            {
                // A seed package changed in the repository after this ledger loaded it: the repository fixed its
                // transcription, which is what a correction is. Say so, and keep it apart from any restatement.
                var corrected = JsonNode.Parse(body)!;
                corrected["correction"] = new JsonObject { ["reason"] = $"seed package {name} corrected in the repository" };
                result = await bus.RecordAsync(System.Text.Encoding.UTF8.GetBytes(corrected.ToJsonString()),
                    new Recording("seed-loader", $"seed package {name}"), ct);
            }
            switch (result.Outcome)
            {
                case IngestionOutcome.Recorded or IngestionOutcome.Corrected:
                    log.LogInformation("Seed {File}: {Outcome}, {Events} events ({Facts} facts, {Restatements} restatements, {Reconciliations} reconciliations)",
                        name, result.Outcome, result.Recorded, result.Facts, result.Restatements, result.Reconciliations);
                    break;
                case IngestionOutcome.AlreadyLoaded:
                    log.LogDebug("Seed {File}: already loaded", name);
                    break;
                case IngestionOutcome.Conflict:
                    // Not a correction the ledger can apply (it changes more than figures): the ledger keeps what it has.
                    log.LogWarning("Seed {File} differs from the package this ledger loaded and cannot be applied as a correction: {Message} " +
                                   "Start on a fresh data directory (Ledger:DataDirectory) to load the current seeds.", name, result.Message);
                    break;
                default:
                    // A seed that does not validate is a defect of the repository: refuse to start with it.
                    throw new InvalidOperationException($"Seed package {file} was not loaded ({result.Outcome}): " +
                        string.Join("; ", (result.Errors ?? []).Select(e => $"{e.Path}: {e.Message}")) + result.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
