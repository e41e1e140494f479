using Ledger.Api.Database;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;

namespace Ledger.Api.Ingestion;

public static class BulkLoadCommand
{
    /// <summary>
    /// <c>dotnet run --project src/Ledger.Api -- bulk-load FILE|DIRECTORY...</c>: bulk-loads package files (a directory:
    /// its *.json) into the database the service would use, recorded under the operating-system user.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        var files = args.Skip(1).Select(CommandPaths.Resolve)
            .SelectMany(a => Directory.Exists(a) ? Directory.GetFiles(a, "*.json").Order(StringComparer.Ordinal).ToArray() : new[] { a }).ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine("usage: bulk-load FILE|DIRECTORY...");
            return 2;
        }
        var database = await DatabaseResolver.ResolveAsync(configuration, Console.WriteLine);
        try
        {
            await using var store = await MartenSetup.OpenStoreAsync(database.ConnectionString);
            // A load that died before is completed or undone first, so that running it again is the way to recover.
            foreach (var line in await BulkLoadJournal.RecoverAsync(store, CancellationToken.None)) Console.WriteLine(line);
            // Each file read when its package is (three times): the load holds no more of them than a batch's.
            var bodies = files.Select(f => new BulkPackage(Path.GetFileName(f), () => File.ReadAllBytes(f))).ToList();
            var result = await new BulkLoad(store, ConceptCatalog.Default, TimeProvider.System)
                .RunAsync(bodies, new Recording($"cli:{Environment.UserName}", "bulk load"), CancellationToken.None);
            foreach (var p in result.Problems) Console.WriteLine(p);
            Console.WriteLine(result.Loaded
                ? $"Loaded {result.Packages} packages ({result.Facts} facts, {result.Events} events): written in {result.WriteSeconds:F1} s, views rebuilt in {result.RebuildSeconds:F1} s."
                : $"Nothing was loaded: {result.Problems.Count} problem(s).");
            return result.Loaded ? 0 : 1;
        }
        finally
        {
            if (database.Embedded is not null) await database.Embedded.StopAsync();
        }
    }
}
