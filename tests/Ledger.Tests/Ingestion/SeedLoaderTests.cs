using Ledger.Api.Ingestion;
using Ledger.Projections.Figures;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Tests.Ingestion;

[Collection(LedgerCollection.Name)]
public class SeedLoaderTests(LedgerApp app)
{
    [Fact]
    public async Task Seeds_load_once_and_a_seed_fixed_in_the_repository_is_applied_as_a_correction()
    {
        var directory = Directory.CreateTempSubdirectory("ledger-seeds-").FullName;
        var loader = new SeedLoader(app.Services.GetRequiredService<IServiceScopeFactory>(),
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Ledger:SeedDirectory"] = directory }).Build(),
            NullLogger<SeedLoader>.Instance);
        var file = Path.Combine(directory, "SEED.A-AR2023.json");
        try
        {
            await File.WriteAllTextAsync(file, MadeUp.Package("SEED.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json());
            await loader.StartAsync(CancellationToken.None);
            var afterFirst = await app.EventCountAsync();
            await loader.StartAsync(CancellationToken.None);
            (await app.EventCountAsync()).Should().Be(afterFirst, "a second start loads nothing");

            await File.WriteAllTextAsync(file, MadeUp.Package("SEED.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,010")).Json());
            await loader.StartAsync(CancellationToken.None);

            await using var q = app.Store.QuerySession();
            var revenue = await FigureReads.LoadAsync(q, "SEED.A|Revenue|FY2023|consolidated", CancellationToken.None);
            revenue!.Current!.Value.Should().Be(1010m);
            revenue.Restated.Should().BeFalse();
            revenue.Corrections.Should().ContainSingle().Which.Reason.Should().Be("seed package SEED.A-AR2023.json corrected in the repository");
        }
        finally { Directory.Delete(directory, recursive: true); }
    }
}
