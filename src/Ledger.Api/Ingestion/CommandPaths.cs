namespace Ledger.Api.Ingestion;

/// <summary>File arguments of the command-line verbs.</summary>
public static class CommandPaths
{
    /// <summary>
    /// A path as the caller meant it: <c>dotnet run --project</c> starts the verb in the project's directory, so a relative
    /// path that is not found there is the caller's (<c>$PWD</c>). Options (<c>--url</c>) pass unchanged.
    /// </summary>
    public static string Resolve(string path) =>
        path.StartsWith("--", StringComparison.Ordinal) || Path.IsPathRooted(path) || File.Exists(path) || Directory.Exists(path)
            ? path
            : Path.GetFullPath(path, Environment.GetEnvironmentVariable("PWD") ?? Environment.CurrentDirectory);
}
