using System.Text.Json;

namespace Ledger.BrowserTests.Infrastructure;

/// <summary>The seed packages in data/seeds (checked against the source announcements): what the pages must show.</summary>
public static class Seeds
{
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Ledger.sln above {AppContext.BaseDirectory}.");
    }

    public static IReadOnlyList<JsonElement> Packages { get; } = Directory
        .GetFiles(Path.Combine(RepositoryRoot, "data", "seeds"), "*.json").Order(StringComparer.Ordinal)
        .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToList();

    public static JsonElement Package(string documentId) =>
        Packages.Single(p => p.GetProperty("document").GetProperty("id").GetString() == documentId);

    /// <summary>Each seed entity with its names.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Entities { get; } = Packages
        .SelectMany(p => p.GetProperty("entities").EnumerateArray())
        .GroupBy(e => e.GetProperty("id").GetString()!).ToDictionary(g => g.Key, g => g.First());

    public static JsonElement Restatement(string documentId, string concept, string period) =>
        Package(documentId).GetProperty("restatements").EnumerateArray()
            .Single(r => r.GetProperty("concept").GetString() == concept && r.GetProperty("period").GetString() == period);

    public static JsonElement NonGaapReconciliation(string documentId, string measure, string period, string unit) =>
        Package(documentId).GetProperty("nonGaapReconciliations").EnumerateArray()
            .Single(r => r.GetProperty("measure").GetString() == measure && r.GetProperty("period").GetString() == period && r.GetProperty("unit").GetString() == unit);
}
