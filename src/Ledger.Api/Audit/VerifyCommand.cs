using System.Text.Json;
using Ledger.Api.Database;
using Ledger.Api.Http;

namespace Ledger.Api.Audit;

/// <summary>
/// <c>dotnet run --project src/Ledger.Api -- verify [--from N --hash H]</c>: verifies the log of the database the
/// service would use, straight in the database. Exit 0 when intact (and extending the checkpoint, when one is given),
/// 1 when broken (the first broken event printed), 2 for bad arguments or no database.
/// </summary>
public static class VerifyCommand
{
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter output)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var unknown = args.Skip(1).Where((a, i) => a.StartsWith("--", StringComparison.Ordinal) && a is not ("--from" or "--hash")).ToList();
        if (unknown.Count > 0 || (args.Contains("--from") && Option("--from") is null) || (args.Contains("--hash") && Option("--hash") is null))
        {
            output.WriteLine("usage: verify [--from SEQUENCE --hash HASH]");
            return 2;
        }
        if (!AuditVerifyEndpoint.TryReadCheckpoint(Option("--from"), Option("--hash"), out var from, out var field, out var detail))
        {
            output.WriteLine($"--{field}: {detail}");
            return 2;
        }
        var database = await DatabaseResolver.ResolveAsync(configuration, _ => { });
        try
        {
            // Verification only reads: it never creates the chain or seals anything (a start of the service does).
            var result = await AuditLog.VerifyAsync(database.ConnectionString, from, Option("--hash"), TimeProvider.System, CancellationToken.None);
            output.WriteLine(result.Intact
                ? $"intact: {result.Events} events, chain sequence {result.Sequence}, hash {result.Hash} ({result.Seconds:F2} s)"
                : $"BROKEN at sequence {result.FirstBreak!.Sequence?.ToString() ?? "-"} (event sequence {result.FirstBreak.EventSequence}, stream '{result.FirstBreak.Stream}', version {result.FirstBreak.Version}): {result.FirstBreak.Kind}: {result.FirstBreak.Detail}");
            if (result.Checkpoint is { } c)
                output.WriteLine($"checkpoint {c.Sequence}: {(c.Extended switch { true => "extended", false => "NOT extended", null => "no hash given" })}: {c.Detail}{(c.RecomputedHash is null ? "" : $" (recomputed {c.RecomputedHash})")}");
            output.WriteLine(JsonSerializer.Serialize(result, Problems.Json));
            return result.Intact && result.Checkpoint?.Extended != false ? 0 : 1;
        }
        finally
        {
            if (database.Embedded is not null) await database.Embedded.StopAsync();
        }
    }
}
