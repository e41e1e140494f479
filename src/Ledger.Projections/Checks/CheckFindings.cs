using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Checks;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Projections.Entities;
using Ledger.Projections.Figures;
using Marten;
using Npgsql;

namespace Ledger.Projections.Checks;

/// <summary>
/// Reads of the checks read model (<see cref="CheckTables"/>). Before a read, each entity in its scope that an event
/// marked since its findings were last worked out is checked again (<see cref="EntityFindings"/>) and its rows replaced,
/// under a lock per entity taken before the work, so that two readers do it once; then the page is an indexed range read
/// in key order and the total a sum over the entities' counts. A read of checks costs the page, plus, once after each
/// change to an entity, that entity's checks.
/// </summary>
public static class CheckFindings
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <summary>Works out again the findings of the entities in scope (one, or all when null) that changed since.</summary>
    public static async Task RefreshAsync(IQuerySession session, string? entity, ConceptCatalog catalog, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        await using var connection = (NpgsqlConnection)session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var stale = new List<string>();
        await using (var query = new NpgsqlCommand(
            $"select entity from {schema}.{CheckTables.State} where marked > computed{(entity is null ? "" : " and entity = @entity")} order by entity collate \"C\"", connection))
        {
            if (entity is not null) query.Parameters.AddWithValue("entity", entity);
            await using var reader = await query.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) stale.Add(reader.GetString(0));
        }
        foreach (var name in stale) await RefreshEntityAsync(connection, schema, name, session, catalog, ct);
    }

    /// <summary>
    /// One entity's findings worked out and stored, under a lock per entity: a reader that waited for another finds the
    /// work done and does nothing. The mark is read under the lock; a load that marks the entity meanwhile leaves it
    /// marked beyond what was worked out, for the next read.
    /// </summary>
    private static async Task RefreshEntityAsync(NpgsqlConnection connection, string schema, string entity, IQuerySession session, ConceptCatalog catalog, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        long marked;
        await using (var lockAndLook = new NpgsqlCommand(
            $"select pg_advisory_xact_lock(hashtextextended('ledger-checks:' || @entity, 0)); select marked, computed from {schema}.{CheckTables.State} where entity = @entity", connection, transaction))
        {
            lockAndLook.Parameters.AddWithValue("entity", entity);
            await using var reader = await lockAndLook.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            if (!await reader.ReadAsync(ct) || reader.GetInt64(1) >= reader.GetInt64(0)) return;
            marked = reader.GetInt64(0);
        }
        var profile = await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct);
        var findings = Keyed(profile is null ? [] : await EntityFindings.ForAsync(session, profile, await FigureReads.OfEntityAsync(session, entity, null, ct), catalog, ct));

        var delete = new NpgsqlBatchCommand($"delete from {schema}.{CheckTables.Findings} where entity = @entity");
        var insert = new NpgsqlBatchCommand($"insert into {schema}.{CheckTables.Findings} (entity, key, verdict, finding) select @entity, k, v, f::jsonb from unnest(@keys, @verdicts, @findings) as r(k, v, f)");
        var done = new NpgsqlBatchCommand($"update {schema}.{CheckTables.State} set computed = greatest(computed, @marked), findings = @count where entity = @entity");
        foreach (var command in new[] { delete, insert, done }) command.Parameters.AddWithValue("entity", entity);
        insert.Parameters.AddWithValue("keys", findings.Select(f => f.Key).ToArray());
        insert.Parameters.AddWithValue("verdicts", findings.Select(f => f.Finding.Verdict.ToString()).ToArray());
        insert.Parameters.AddWithValue("findings", findings.Select(f => JsonSerializer.Serialize(f.Finding, Json)).ToArray());
        done.Parameters.AddWithValue("marked", marked);
        done.Parameters.AddWithValue("count", findings.Count);
        await using var write = new NpgsqlBatch(connection, transaction) { BatchCommands = { delete, insert, done } };
        await write.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>A page of findings in key order after <paramref name="after"/>, and how many there are in scope.</summary>
    public static async Task<(IReadOnlyList<(string Key, Finding Finding)> Page, int Count)> PageAsync(IQuerySession session, string? entity,
        string? after, int count, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        await using var connection = (NpgsqlConnection)session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var scope = entity is null ? "true" : "entity = @entity";
        var rows = new NpgsqlBatchCommand($"select key, finding::text from {schema}.{CheckTables.Findings} where {scope} and key collate \"C\" > @after order by key collate \"C\" limit @count");
        var total = new NpgsqlBatchCommand($"select coalesce(sum(findings), 0) from {schema}.{CheckTables.State} where {scope}");
        foreach (var command in new[] { rows, total })
            if (entity is not null) command.Parameters.AddWithValue("entity", entity);
        rows.Parameters.AddWithValue("after", after ?? "");
        rows.Parameters.AddWithValue("count", count);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { rows, total } };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var page = new List<(string, Finding)>();
        while (await reader.ReadAsync(ct)) page.Add((reader.GetString(0), JsonSerializer.Deserialize<Finding>(reader.GetString(1), Json)!));
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return (page, (int)reader.GetInt64(0));
    }

    /// <summary>Per entity named, how many of its findings are inconsistent and how many indeterminate.</summary>
    public static async Task<IReadOnlyDictionary<string, (int Inconsistent, int Indeterminate)>> CountsAsync(IQuerySession session, IReadOnlyCollection<string> entities, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        await using var connection = (NpgsqlConnection)session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select entity, count(*) filter (where verdict = @inconsistent), count(*) filter (where verdict = @indeterminate) " +
            $"from {schema}.{CheckTables.Findings} where entity = any(@entities) group by entity", connection);
        command.Parameters.AddWithValue("inconsistent", Verdict.Inconsistent.ToString());
        command.Parameters.AddWithValue("indeterminate", Verdict.Indeterminate.ToString());
        command.Parameters.AddWithValue("entities", entities.ToArray());
        var counts = entities.ToDictionary(e => e, _ => (0, 0), StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) counts[reader.GetString(0)] = ((int)reader.GetInt64(1), (int)reader.GetInt64(2));
        return counts;
    }

    /// <summary>
    /// Each finding with its paging key: entity, kind, subject and figures, then its position among findings sharing all
    /// of those (two may), so that keys are unique and stable.
    /// </summary>
    public static IReadOnlyList<(string Key, Finding Finding)> Keyed(IEnumerable<Finding> findings) =>
        findings.GroupBy(f => Key(f.Entity, f.Kind, f.Subject, string.Join(',', f.Figures)))
            .SelectMany(g => g.Select((f, i) => (Key(g.Key, i.ToString("D4", CultureInfo.InvariantCulture)), f)))
            .ToList();

    private static string Key(params string[] parts) => string.Join('\u001f', parts);
}
