using System.Globalization;
using Ledger.Api.Database;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Audit;

public static class AuditEndpoints
{
    /// <summary>The head of the chain. A read: whoever reads the ledger may keep checkpoints.</summary>
    [WolverineGet("/api/audit/checkpoint")]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IResult> Checkpoint(LedgerDatabase database, TimeProvider clock, CancellationToken ct) =>
        Results.Json(await AuditLog.CheckpointAsync(database.ConnectionString, clock, ct), Problems.Json);

    /// <summary>Recomputes the whole log; auditor, writer and admin keys (it reads every event, so not every reader).</summary>
    [WolverineGet("/api/audit/verify")]
    [Authorize(Policy = Policies.Verify)]
    public static async Task<IResult> Verify(string? from, string? hash, LedgerDatabase database, TimeProvider clock, CancellationToken ct)
    {
        // Read as text so that a bad value is answered with a problem naming the field.
        if (!TryReadCheckpoint(from, hash, out var sequence, out var field, out var detail)) return Problems.BadRequest(field!, detail!);
        return Results.Json(await AuditLog.VerifyAsync(database.ConnectionString, sequence, hash, clock, ct), Problems.Json);
    }

    /// <summary>from: a checkpoint's sequence (a positive integer); hash: its 64 hex digits, only with from.</summary>
    public static bool TryReadCheckpoint(string? from, string? hash, out long? sequence, out string? field, out string? detail)
    {
        sequence = null;
        field = detail = null;
        if (from is not null)
        {
            if (!long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var f) || f < 1)
            {
                (field, detail) = ("from", $"'{from}' is not a checkpoint's sequence (a whole number from 1)");
                return false;
            }
            sequence = f;
        }
        if (hash is not null)
        {
            if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            {
                (field, detail) = ("hash", "is not a checkpoint's hash (64 hex digits)");
                return false;
            }
            if (from is null)
            {
                (field, detail) = ("from", "is required with hash: give the checkpoint's sequence beside its hash");
                return false;
            }
        }
        return true;
    }
}
