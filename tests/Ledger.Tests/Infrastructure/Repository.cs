namespace Ledger.Tests.Infrastructure;

/// <summary>Files of the checkout the tests run from (the published schema, the concept catalog as committed).</summary>
public static class Repository
{
    public static string File(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) return Path.Combine([dir.FullName, .. parts]);
        throw new InvalidOperationException($"No Ledger.sln above {AppContext.BaseDirectory}.");
    }
}
