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
    [ResponseExample("""{"sequence":7237,"hash":"beb9e30ed545d41ce9be4e0c1631e13ad3969b8add971c65fd49ba6e2c2b2804","eventSequence":7237,"sealedAt":"2026-12-07T02:33:12.387776+00:00","at":"2026-12-07T02:34:36.4242655+00:00"}""")]
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
    [ResponseExample("""{"intact":true,"sequence":7237,"hash":"beb9e30ed545d41ce9be4e0c1631e13ad3969b8add971c65fd49ba6e2c2b2804","events":7237,"seals":7237,"checkpoint":{"sequence":7237,"hash":"beb9e30ed545d41ce9be4e0c1631e13ad3969b8add971c65fd49ba6e2c2b2804","recomputedHash":"beb9e30ed545d41ce9be4e0c1631e13ad3969b8add971c65fd49ba6e2c2b2804","extended":true,"detail":"the events recomputed up to sequence 7237 give the checkpoint's hash: the log extends it"},"at":"2026-12-07T02:34:36.808563+00:00","seconds":0.2718598}""")]
    [ProblemAnswers(400)]
    [WolverineGet("/api/audit/verify")]
    [Authorize(Policy = Policies.Verify)]
    public static Task<AuditVerification> Get(string? from, string? hash, LedgerDatabase database, TimeProvider clock, CancellationToken ct)
    {
        TryReadCheckpoint(from, hash, out var sequence, out _, out _);
        return AuditLog.VerifyAsync(database.ConnectionString, sequence, hash, clock, ct);
    }

    /// <summary>
    /// from: a checkpoint's sequence (a whole number; 0 for an empty ledger's, whose hash is all zeros); hash: its 64 hex
    /// digits, only with from.
    /// </summary>
    public static bool TryReadCheckpoint(string? from, string? hash, out long? sequence, out string? field, out string? detail)
    {
        sequence = null;
        field = detail = null;
        if (from is not null)
        {
            if (!long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var f))
            {
                (field, detail) = ("from", $"'{from}' is not a checkpoint's sequence (a whole number from 0)");
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
