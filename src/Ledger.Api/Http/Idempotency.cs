using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Npgsql;

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
    /// A request holds its key with a PostgreSQL advisory lock on a connection of its own while it runs: when its
    /// process dies the connection closes and the lock goes with it, so a claim that nobody holds is known to be
    /// abandoned at once, on any node, and a retry runs. An answer older than the retention no longer holds the key.
    /// </summary>
    public static async Task<IResult> OnceAsync(IDocumentStore store, string connectionString, IdempotencySettings settings, string caller, string key,
        string bodySha256, TimeProvider clock, Func<Task<(HttpAnswer Answer, bool Keep)>> answer, CancellationToken ct)
    {
        var id = Id(caller, key);
        await using var held = await KeyLock.TryTakeAsync(connectionString, id, ct);
        if (held is null) return InProgress();

        await using (var session = store.LightweightSession())
        {
            var first = await session.LoadAsync<IdempotentRequest>(id, ct);
            // Holding the lock, a claim still unanswered was left by a request that died: it holds nothing any more.
            if (first is { Status: not 0 } && first.AnsweredAt >= clock.GetUtcNow() - settings.Retention) return AnswerTo(first, bodySha256);
            if (first is not null) session.Delete<IdempotentRequest>(id);
            session.Insert(new IdempotentRequest { Id = id, BodySha256 = bodySha256, ClaimedAt = clock.GetUtcNow() });
            await session.SaveChangesAsync(ct);
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
        await using var answered = store.LightweightSession();
        // A very large answer (a 400 naming thousands of bad fields) is not kept: a retry runs again, which is safe
        // because loading a package a second time records nothing.
        if (result.Keep && Encoding.UTF8.GetByteCount(result.Answer.Body) <= settings.MaxStoredAnswerBytes)
            answered.Store(new IdempotentRequest
            {
                Id = id, BodySha256 = bodySha256, Status = result.Answer.Status, ContentType = result.Answer.ContentType, Body = result.Answer.Body,
                ClaimedAt = clock.GetUtcNow(), AnsweredAt = clock.GetUtcNow(),
            });
        else
            answered.Delete<IdempotentRequest>(id);
        await answered.SaveChangesAsync(ct);
        return result.Answer.ToResult();
    }

    /// <summary>Deletes every answer and every claim older than the retention; returns how many.</summary>
    public static async Task<int> SweepAsync(IDocumentStore store, IdempotencySettings settings, DateTimeOffset now, CancellationToken ct)
    {
        var before = now - settings.Retention;
        await using var session = store.LightweightSession();
        var stale = await session.Query<IdempotentRequest>().Where(r => r.ClaimedAt < before).CountAsync(ct);
        if (stale == 0) return 0;
        session.DeleteWhere<IdempotentRequest>(r => r.ClaimedAt < before);
        await session.SaveChangesAsync(ct);
        return stale;
    }

    /// <summary>The advisory lock that says a request with this key is running (its connection is its life line).</summary>
    private sealed class KeyLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public static async Task<KeyLock?> TryTakeAsync(string connectionString, string id, CancellationToken ct)
        {
            // Unpooled: closing it must end the session (and the lock) at once, not park it in the pool still held.
            var settings = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
            var connection = new NpgsqlConnection(settings.ConnectionString);
            try
            {
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended(@id, 0))", connection);
                command.Parameters.AddWithValue("id", "idempotency:" + id);
                if (await command.ExecuteScalarAsync(ct) is true) return new KeyLock(connection);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
            await connection.DisposeAsync();
            return null;
        }

        /// <summary>
        /// Released before the connection closes: a closed connection's server process ends, and lets go of the lock,
        /// only a moment later, and a retry sent right after the answer found the key still held (409; seen once in CI,
        /// `IdempotencyLifetimeTests`). Should the release fail, the connection is gone and its lock goes with its process.
        /// </summary>
        public async ValueTask DisposeAsync()
        {
            try
            {
                if (connection.State == System.Data.ConnectionState.Open)
                {
                    await using var unlock = new NpgsqlCommand("select pg_advisory_unlock_all()", connection);
                    await unlock.ExecuteNonQueryAsync();
                }
            }
            catch (NpgsqlException)
            {
                // The connection broke: the server process that held the lock ends with it.
            }
            await connection.DisposeAsync();
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
        var result = Problems.Result(Problems.Field(StatusCodes.Status409Conflict, "A request with this Idempotency-Key is still being answered",
            "Retry in a moment to get its answer.", Header, "is in use by a request still running"));
        return Problems.WithRetryAfter(result, 1);
    }

    private static IResult AnswerTo(IdempotentRequest previous, string bodySha256)
    {
        if (previous.BodySha256 != bodySha256)
            return Problems.Result(Problems.Field(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused with another body",
                $"The Idempotency-Key was first used at {previous.ClaimedAt:O} with a different package; this request was not run. Use a new key for a new package.",
                Header, "was already used with a different request body"));
        return previous.Status == 0 ? InProgress() : new HttpAnswer(previous.Status, previous.ContentType, previous.Body).ToResult();
    }
}
