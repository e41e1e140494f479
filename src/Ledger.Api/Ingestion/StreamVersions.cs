using Ledger.Api.Database;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Marten;
using Npgsql;

namespace Ledger.Api.Ingestion;

/// <summary>
/// The versions of the streams a package adds to besides its document's (an entity's, a non-GAAP reconciliation's), as
/// the package was decided against them: a write finds them unchanged under the writers' lock, or records nothing
/// (README, "Concurrent loads"). Its document's stream needs no version: the write starts it, which fails if another
/// load did. A stream not yet written is at version 0.
/// </summary>
public sealed class StreamVersions
{
    public static readonly StreamVersions None = new(new Dictionary<string, long>());

    private readonly IReadOnlyDictionary<string, long> _versions;

    private StreamVersions(IReadOnlyDictionary<string, long> versions) => _versions = versions;

    public IReadOnlyCollection<string> Streams => (IReadOnlyCollection<string>)_versions.Keys;

    /// <summary>The streams of <paramref name="plan"/> other than its document's, at their versions now.</summary>
    public static async Task<StreamVersions> ReadAsync(IQuerySession session, PackagePlan plan, CancellationToken ct)
    {
        var document = StreamKeys.Document(plan.DocumentId);
        var streams = plan.Events.Select(e => e.Stream).Where(s => s != document).Distinct(StringComparer.Ordinal).ToArray();
        if (streams.Length == 0) return None;
        var versions = streams.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        // The version first, so that the id is the rest of the row whatever it holds.
        foreach (var row in await session.AdvancedSql.QueryAsync<string>(
                     $"select version::text || ' ' || id from {MartenSetup.Schema}.mt_streams where id = any(?)", ct, (object)streams))
        {
            var space = row.IndexOf(' ');
            versions[row[(space + 1)..]] = long.Parse(row[..space], System.Globalization.CultureInfo.InvariantCulture);
        }
        return new StreamVersions(versions);
    }

    /// <summary>
    /// The streams that another write changed since: read in <paramref name="transaction"/> after it has taken the
    /// writers' lock, which every write of events takes before its first event (<see cref="Audit.AuditChainSchema.LockKey"/>),
    /// so that none can change them between this read and the commit.
    /// </summary>
    public async Task<IReadOnlyList<string>> ChangedSinceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        if (_versions.Count == 0) return [];
        await using var command = new NpgsqlCommand(
            $"select pg_advisory_xact_lock({Audit.AuditChainSchema.LockKey}); " +
            $"select id, version from {MartenSetup.Schema}.mt_streams where id = any(@streams)", connection, transaction);
        command.Parameters.AddWithValue("streams", _versions.Keys.ToArray());
        var now = _versions.Keys.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct)) now[reader.GetString(0)] = reader.GetInt64(1);
        }
        return [.. _versions.Where(v => now[v.Key] != v.Value).Select(v => v.Key).Order(StringComparer.Ordinal)];
    }
}
