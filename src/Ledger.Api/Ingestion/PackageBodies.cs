using Ledger.Api.Database;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql.Tables;

namespace Ledger.Api.Ingestion;

/// <summary>
/// Each package's bytes exactly as they were loaded, by document and content hash (the SHA-256 the document's
/// <c>DocumentRecorded</c> and corrections name): what proves what the ledger recorded. Never overwritten: a correction
/// adds its own package beside the one it corrects. Kept apart from the package record (<see cref="LoadedPackage"/>) as
/// <c>bytea</c>, written in the same transaction: inside the record a 30 MB package was also a 60 MB escaped JSON string.
/// </summary>
public static class PackageBodies
{
    public const string Name = "package_bodies";

    public static string Table => $"{MartenSetup.Schema}.{Name}";

    private static string Insert => $"insert into {Table} (document_id, content_hash, body) ";

    public static Table Definition(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn<string>("document_id").AsPrimaryKey();
        table.AddColumn<string>("content_hash").AsPrimaryKey();
        table.AddColumn("body", "bytea").NotNull();
        return table;
    }

    /// <summary>Queues the body's write in the session's transaction.</summary>
    public static void Store(IDocumentSession session, string documentId, string contentHash, byte[] body) =>
        session.QueueSqlCommand(Insert + "values (?, ?, ?) on conflict do nothing", documentId, contentHash, body);

    /// <summary>Writes many bodies in one transaction of their own, by binary COPY (the bulk load's path).</summary>
    public static async Task WriteAsync(IDocumentStore store, IEnumerable<(string DocumentId, string ContentHash, byte[] Body)> bodies, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await Execute(connection, transaction, "create temp table incoming_bodies (document_id text, content_hash text, body bytea) on commit drop", ct);
        await using (var copy = await connection.BeginBinaryImportAsync("copy incoming_bodies (document_id, content_hash, body) from stdin (format binary)", ct))
        {
            foreach (var (id, hash, body) in bodies)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(hash, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(body, NpgsqlDbType.Bytea, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await Execute(connection, transaction, Insert + "select document_id, content_hash, body from incoming_bodies on conflict do nothing", ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Records written before 2026-12-03 carry their package as an escaped string ("body"): moved here, where its SHA-256
    /// is the record's content hash (a body that does not match stays where it is, for someone to look at). Runs at every
    /// start, so it looks only at the records that have no bytes in the table (found by id, not by reading every record's
    /// JSON, which for a market is gigabytes): after the first start, none or the few that did not match.
    /// </summary>
    public static async Task<int> MoveFromRecordsAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var records = LoadedPackage.Table;
        var moved = await Execute(connection, transaction, $"""
            with unmoved as materialized (select p.id from {records} p where not exists (select 1 from {Table} b where b.document_id = p.id)),
                 inserted as ({Insert}select r.id, r.data ->> 'contentHash', convert_to(r.data ->> 'body', 'UTF8') from {records} r join unmoved u on u.id = r.id
                              where r.data ? 'body' and encode(sha256(convert_to(r.data ->> 'body', 'UTF8')), 'hex') = r.data ->> 'contentHash'
                              on conflict do nothing returning document_id)
            update {records} set data = data - 'body' where id in (select document_id from inserted)
            """, ct);
        await transaction.CommitAsync(ct);
        return moved;
    }

    private static async Task<int> Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        // Bodies run to tens of megabytes each: no statement timeout but the database's own.
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        return await command.ExecuteNonQueryAsync(ct);
    }
}
