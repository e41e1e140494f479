using System.Globalization;
using Ledger.Api.Database;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Audit;

/// <summary>The head of the tamper-evident log (<see cref="AuditLog"/>).</summary>
public static class AuditCheckpointEndpoint
{
    /// <summary>The head of the chain. A read: whoever reads the ledger may keep checkpoints.</summary>
    [EndpointSummary("The head of the tamper-evident log: the chain's sequence (events sealed), its SHA-256 hash, the event sequence (Marten seq_id) of the last sealed event and the time. Keep it outside the ledger; verify against it later.")]
    [ResponseExample("""{"sequence":1511,"hash":"9c1e5f0a4b7d2e3f8a6b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f","eventSequence":1511,"sealedAt":"2026-11-29T03:02:13.98Z","at":"2026-11-29T09:00:00Z"}""")]
    [WolverineGet("/api/audit/checkpoint")]
    [Authorize(Policy = Policies.Read)]
    public static Task<AuditCheckpoint> Get(LedgerDatabase database, TimeProvider clock, CancellationToken ct) =>
        AuditLog.CheckpointAsync(database.ConnectionString, clock, ct);
}

/// <summary>The whole log recomputed, and whether it extends a checkpoint kept earlier.</summary>
public static class AuditVerifyEndpoint
{
    /// <summary>from and hash read as text, so that a bad value is answered with a problem naming the field, before the log is read.</summary>
    public static IResult Validate(string? from, string? hash) =>
        TryReadCheckpoint(from, hash, out _, out var field, out var detail) ? WolverineContinue.Result() : Problems.BadRequest(field!, detail!);

    /// <summary>Recomputes the whole log; auditor, writer and admin keys (it reads every event, so not every reader).</summary>
    [EndpointSummary("Recomputes every event's digest and the whole hash chain from the events themselves and names the first event that breaks (sequence, event sequence, stream, version, kind: data-altered, metadata-altered, reordered, missing-event, missing-seal, seal-altered, unsealed-event); with from (a checkpoint's sequence) and hash, also whether the log still extends that checkpoint. Auditor, writer and admin keys.")]
    [ResponseExample("""{"intact":true,"sequence":1511,"hash":"9c1e5f0a4b7d2e3f8a6b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f","events":1511,"seals":1511,"checkpoint":{"sequence":1093,"hash":"5d41402abc4b2a76b9719d911017c592ae2b4c1f0e9d8c7b6a5f4e3d2c1b0a99","recomputedHash":"5d41402abc4b2a76b9719d911017c592ae2b4c1f0e9d8c7b6a5f4e3d2c1b0a99","extended":true,"detail":"the events recomputed up to sequence 1093 give the checkpoint's hash: the log extends it"},"at":"2026-11-29T09:00:00Z","seconds":0.21}""")]
    [ProblemAnswers(400)]
    [WolverineGet("/api/audit/verify")]
    [Authorize(Policy = Policies.Verify)]
    public static Task<AuditVerification> Get(string? from, string? hash, LedgerDatabase database, TimeProvider clock, CancellationToken ct)
    {
        TryReadCheckpoint(from, hash, out var sequence, out _, out _);
        return AuditLog.VerifyAsync(database.ConnectionString, sequence, hash, clock, ct);
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
