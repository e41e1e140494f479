using System.Security.Cryptography;
using System.Text;
using Marten;

namespace Ledger.Api.Http;

/// <summary>
/// The first answer to a POST that carried an <c>Idempotency-Key</c>, kept so that a client retrying after a
/// lost response gets that answer again instead of a second, different one. Keys are scoped to the caller.
/// </summary>
public sealed class IdempotentRequest
{
    public string Id { get; set; } = "";
    public string BodySha256 { get; set; } = "";
    public int Status { get; set; }
    public string ContentType { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTimeOffset AnsweredAt { get; set; }
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

    private static string Id(string caller, string key) => $"{caller}|{key}";

    public static async Task<IResult?> ReplayAsync(IDocumentStore store, string caller, string key, string bodySha256, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var previous = await session.LoadAsync<IdempotentRequest>(Id(caller, key), ct);
        return previous is null ? null : AnswerTo(previous, bodySha256);
    }

    /// <summary>
    /// Keeps the answer. When another request with the same key got there first, its answer is the one that
    /// counts, and is returned instead (or a 422 when its body differed).
    /// </summary>
    public static async Task<IResult> RememberAsync(IDocumentStore store, string caller, string key, string bodySha256, HttpAnswer answer, DateTimeOffset now, CancellationToken ct)
    {
        await using (var session = store.LightweightSession())
        {
            session.Insert(new IdempotentRequest
            {
                Id = Id(caller, key), BodySha256 = bodySha256, Status = answer.Status, ContentType = answer.ContentType, Body = answer.Body, AnsweredAt = now,
            });
            try
            {
                await session.SaveChangesAsync(ct);
                return answer.ToResult();
            }
            catch (JasperFx.DocumentAlreadyExistsException)
            {
            }
        }
        return await ReplayAsync(store, caller, key, bodySha256, ct) ?? answer.ToResult();
    }

    private static IResult AnswerTo(IdempotentRequest previous, string bodySha256)
    {
        if (previous.BodySha256 != bodySha256)
            return Problems.Result(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused with another body",
                $"The Idempotency-Key was first used at {previous.AnsweredAt:O} with a different package; nothing was recorded. Use a new key for a new package.",
                new { errors = new[] { new { path = Header, detail = "was already used with a different request body" } } });
        return new HttpAnswer(previous.Status, previous.ContentType, previous.Body).ToResult();
    }
}
