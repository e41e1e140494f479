using Ledger.Api.Ingestion;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Ledger.Tests.Ingestion;

[Collection(LedgerCollection.Name)]
public class LoadCommandTests(LedgerApp app)
{
    [Fact]
    public async Task The_load_command_applies_a_package_file_straight_to_the_database_and_a_second_time_records_nothing()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ledger-load-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, MadeUp.Package("LOAD.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,234")).Json());
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ledger"] = app.Database.ConnectionString,
        }).Build();
        try
        {
            (await LoadCommand.RunAsync(["load", file], config)).Should().Be(0);
            (await app.CurrentAsync("LOAD.A", "Revenue", "FY2023")).Value.Should().Be("1234");
            var before = await app.EventCountAsync();
            (await LoadCommand.RunAsync(["load", file], config)).Should().Be(0);
            (await app.EventCountAsync()).Should().Be(before);
        }
        finally { File.Delete(file); }
    }
}
