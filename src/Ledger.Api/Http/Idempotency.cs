using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Marten;

namespace Ledger.Api.Http;

/// <summary>
/// The first answer to a POST that carried an <c>Idempotency-Key</c>, kept so that a client retrying after a
/// lost response gets that answer again instead of a second, different one. Keys are scoped to the caller.
/// The record is claimed (status 0) before the work starts, so that two requests with one key never both run.
/// </summary>
public sealed class IdempotentRequest
{
    public string Id { get; set; } = "";
    public string BodySha256 { get; set; } = "";
    /// <summary>0 while the first request is still being answered.</summary>
    public int Status { get; set; }
    public string ContentType { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTimeOffset ClaimedAt { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
}

/// <summary>A response as stored and replayed: status, content type and the exact bytes of the body.</summary>
public sealed record HttpAnswer(int Status, string ContentType, string Body)
{
    public IResult ToResult() => Results.Text(Body, ContentType, Encoding.UTF8, Status);
}

public static class Idempotency
{
    public const string Header = "Idempotency-Key";

    /// <summary>A key is 1 to 200 visible ASCII characters (UUIDs, ULIDs and the like).</summary>
    public static bool IsValidKey(string key) => key.Length is >= 1 and <= 200 && key.All(c => c is > ' ' and <= '~');

    public static string Digest(byte[] body) => Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant();

    // The caller's name is length-prefixed, so that no name and key can be read as another pair.
    private static string Id(string caller, string key) => $"{caller.Length.ToString(CultureInfo.InvariantCulture)}:{caller}|{key}";

    /// <summary>
    /// Runs <paramref name="answer"/> once per caller and key. A repeat with the same body gets the stored answer;
    /// with another body a 422; while the first is still running a 409 to retry shortly. Nothing runs in those cases.
    /// An expired answer or an abandoned claim (<see cref="IdempotencySettings"/>) no longer holds the key.
    /// </summary>
    public static async Task<IResult> OnceAsync(IDocumentStore store, IdempotencySettings settings, string caller, string key, string bodySha256,
        TimeProvider clock, Func<Task<(HttpAnswer Answer, bool Keep)>> answer, CancellationToken ct)
    {
        var id = Id(caller, key);
        if (!await TryClaimAsync(store, id, bodySha256, clock, ct))
        {
            await using (var query = store.QuerySession())
            {
                var first = await query.LoadAsync<IdempotentRequest>(id, ct);
                if (first is null) return InProgress();
                if (!IsStale(first, settings, clock.GetUtcNow())) return AnswerTo(first, bodySha256);
            }
            // Only a stale record is deleted, so of two requests taking over the same key one claims it and the other waits.
            await using (var sweep = store.LightweightSession())
            {
                sweep.DeleteWhere(Stale(settings, clock.GetUtcNow(), id));
                await sweep.SaveChangesAsync(ct);
            }
            if (!await TryClaimAsync(store, id, bodySha256, clock, ct)) return InProgress();
        }

        (HttpAnswer Answer, bool Keep) result;
        try
        {
            result = await answer();
        }
        catch
        {
            // The work failed: the key is released so that a retry can run it, and the failure goes on up.
            await ReleaseAsync(store, id);
            throw;
        }
        await using var session = store.LightweightSession();
        // A very large answer (a 400 naming thousands of bad fields) is not kept: a retry runs again, which is safe
        // because loading a package a second time records nothing.
        if (result.Keep && Encoding.UTF8.GetByteCount(result.Answer.Body) <= settings.MaxStoredAnswerBytes)
            session.Store(new IdempotentRequest
            {
                Id = id, BodySha256 = bodySha256, Status = result.Answer.Status, ContentType = result.Answer.ContentType, Body = result.Answer.Body,
                ClaimedAt = clock.GetUtcNow(), AnsweredAt = clock.GetUtcNow(),
            });
        else
            session.Delete<IdempotentRequest>(id);
        await session.SaveChangesAsync(ct);
        return result.Answer.ToResult();
    }

    /// <summary>Deletes every expired answer and abandoned claim; returns how many.</summary>
    public static async Task<int> SweepAsync(IDocumentStore store, IdempotencySettings settings, DateTimeOffset now, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var stale = await session.Query<IdempotentRequest>().Where(Stale(settings, now, null)).CountAsync(ct);
        if (stale == 0) return 0;
        session.DeleteWhere(Stale(settings, now, null));
        await session.SaveChangesAsync(ct);
        return stale;
    }

    private static bool IsStale(IdempotentRequest r, IdempotencySettings settings, DateTimeOffset now) =>
        r.Status == 0 ? r.ClaimedAt < now - settings.AbandonedAfter : (r.AnsweredAt ?? r.ClaimedAt) < now - settings.Retention;

    /// <summary>The same rule as <see cref="IsStale"/>, as a query (answered records always carry AnsweredAt).</summary>
    private static System.Linq.Expressions.Expression<Func<IdempotentRequest, bool>> Stale(IdempotencySettings settings, DateTimeOffset now, string? id)
    {
        var abandoned = now - settings.AbandonedAfter;
        var expired = now - settings.Retention;
        return id is null
            ? r => (r.Status == 0 && r.ClaimedAt < abandoned) || (r.Status != 0 && r.AnsweredAt < expired)
            : r => r.Id == id && ((r.Status == 0 && r.ClaimedAt < abandoned) || (r.Status != 0 && r.AnsweredAt < expired));
    }

    private static async Task<bool> TryClaimAsync(IDocumentStore store, string id, string bodySha256, TimeProvider clock, CancellationToken ct)
    {
        await using var claim = store.LightweightSession();
        claim.Insert(new IdempotentRequest { Id = id, BodySha256 = bodySha256, ClaimedAt = clock.GetUtcNow() });
        try
        {
            await claim.SaveChangesAsync(ct);
            return true;
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return false;
        }
    }

    private static async Task ReleaseAsync(IDocumentStore store, string id)
    {
        await using var session = store.LightweightSession();
        session.Delete<IdempotentRequest>(id);
        await session.SaveChangesAsync(CancellationToken.None);
    }

    private static IResult InProgress()
    {
        var result = Problems.Result(StatusCodes.Status409Conflict, "A request with this Idempotency-Key is still being answered",
            "Retry in a moment to get its answer.", new { errors = new[] { new { path = Header, detail = "is in use by a request still running" } } });
        return Problems.WithRetryAfter(result, 1);
    }

    private static IResult AnswerTo(IdempotentRequest previous, string bodySha256)
    {
        if (previous.BodySha256 != bodySha256)
            return Problems.Result(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused with another body",
                $"The Idempotency-Key was first used at {previous.ClaimedAt:O} with a different package; this request was not run. Use a new key for a new package.",
                new { errors = new[] { new { path = Header, detail = "was already used with a different request body" } } });
        return previous.Status == 0 ? InProgress() : new HttpAnswer(previous.Status, previous.ContentType, previous.Body).ToResult();
    }
}
