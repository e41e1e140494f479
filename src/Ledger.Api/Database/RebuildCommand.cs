using Marten;

namespace Ledger.Api.Database;

/// <summary><c>dotnet run --project src/Ledger.Api -- rebuild</c>: rebuilds every projection from the event log and says how long each took.</summary>
public static class RebuildCommand
{
    public static async Task<int> RunAsync(IConfiguration configuration)
    {
        var database = await DatabaseResolver.ResolveAsync(configuration, Console.WriteLine);
        try
        {
            await using var store = await MartenSetup.OpenStoreAsync(database.ConnectionString);
            var stats = await store.Advanced.FetchEventStoreStatistics();
            // The whole rebuild's time, not the views' sum: the views are rebuilt at the same time.
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var rebuilt = await ProjectionRebuild.RunAsync(store, CancellationToken.None);
            foreach (var r in rebuilt) Console.WriteLine($"{r.Projection,-30} {r.Seconds,8:F2} s");
            Console.WriteLine($"{"all projections",-30} {watch.Elapsed.TotalSeconds,8:F2} s for {stats.EventCount} events");
            return 0;
        }
        finally
        {
            if (database.Embedded is not null) await database.Embedded.StopAsync();
        }
    }
}
