using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ledger.Api.Ingestion;

/// <summary>
/// <c>dotnet run --project src/Ledger.Api -- draft SEED.txt --mapping MAPPING.json [--table ID] [--into PACKAGE.json]</c>:
/// drafts facts from a seed text's tables by a reviewed mapping (<see cref="FactDrafter"/>) and prints them as JSON,
/// or appends them to a package's facts, never changing a fact already there. Needs no database.
/// </summary>
public static class DraftCommand
{
    private const string Usage = "usage: draft SEED.txt --mapping MAPPING.json [--table ID] [--into PACKAGE.json]";

    public static int Run(string[] args)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var mappingFile = Option("--mapping");
        var into = Option("--into");
        var table = Option("--table");
        var optionValues = new[] { mappingFile, into, table };
        var sources = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal) && !optionValues.Contains(a)).ToList();
        if (mappingFile is null || sources.Count != 1)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var source = sources[0];
        try
        {
            if (!File.Exists(source)) throw new DraftException($"{source}: no such seed text");
            if (!File.Exists(mappingFile)) throw new DraftException($"{mappingFile}: no such mapping");
            var lines = File.ReadAllText(source).Split('\n');
            var mapping = Parse(mappingFile) as JsonObject ?? throw new DraftException($"{mappingFile}: not a JSON object");
            var facts = FactDrafter.Draft(lines, source, mapping, mappingFile, table);
            if (into is null)
            {
                Console.WriteLine(JsonSerializer.Serialize(new JsonArray([.. facts]), FactDrafter.PackageLayout));
                Console.Error.WriteLine($"{facts.Count} facts drafted from {source} by {mappingFile}");
                return 0;
            }
            if (!File.Exists(into)) throw new DraftException($"{into}: no such package");
            var package = Parse(into) as JsonObject ?? throw new DraftException($"{into}: not a JSON object");
            var (added, present, conflicts) = FactDrafter.Merge(package, facts);
            foreach (var c in conflicts) Console.Error.WriteLine($"{into}: {c}");
            File.WriteAllText(into, JsonSerializer.Serialize(package, FactDrafter.PackageLayout) + "\n", new UTF8Encoding(false));
            Console.WriteLine($"{into}: {added} facts added, {present} already there ({conflicts.Count} with another printed value, kept), from {source} by {mappingFile}");
            return conflicts.Count == 0 ? 0 : 1;
        }
        catch (DraftException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    private static JsonNode? Parse(string file)
    {
        try { return JsonNode.Parse(File.ReadAllText(file)); }
        catch (JsonException e) { throw new DraftException($"{file}:{(e.LineNumber ?? 0) + 1}: not valid JSON: {e.Message}"); }
    }
}
