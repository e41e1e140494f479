using Ledger.Domain.Events;

namespace Ledger.Api.Ingestion;

/// <summary>
/// Loads the seed packages shipped in data/seeds at start-up, through the same ingestion path as
/// POST /api/disclosures. A package already loaded records nothing, so later starts load nothing.
/// </summary>
public sealed class SeedLoader(DisclosureIngestion ingestion, IConfiguration configuration, ILogger<SeedLoader> log) : IHostedService
{
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "seeds");

    public async Task StartAsync(CancellationToken ct)
    {
        if (!configuration.GetValue("Ledger:LoadSeeds", true)) return;
        var directory = configuration["Ledger:SeedDirectory"] ?? DefaultDirectory;
        if (!Directory.Exists(directory)) { log.LogWarning("No seed directory at {Directory}", directory); return; }
        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var result = await ingestion.IngestAsync(await File.ReadAllBytesAsync(file, ct), new Recording("seed-loader", $"seed package {Path.GetFileName(file)}"), ct);
            switch (result.Outcome)
            {
                case IngestionOutcome.Recorded:
                    log.LogInformation("Seed {File}: recorded {Events} events ({Facts} facts, {Restatements} restatements, {Reconciliations} reconciliations)",
                        Path.GetFileName(file), result.Recorded, result.Facts, result.Restatements, result.Reconciliations);
                    break;
                case IngestionOutcome.AlreadyLoaded:
                    log.LogDebug("Seed {File}: already loaded", Path.GetFileName(file));
                    break;
                default:
                    // A seed that does not load is a defect of the repository: refuse to start with it.
                    throw new InvalidOperationException($"Seed package {file} was not loaded ({result.Outcome}): " +
                        string.Join("; ", (result.Errors ?? []).Select(e => $"{e.Path}: {e.Message}")) + result.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
