using Ledger.Api.Database;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql.Tables;

namespace Ledger.Api.Ingestion;

/// <summary>
/// Each package's bytes exactly as they were loaded, by document: what proves what the ledger recorded. Kept apart from
/// the package record (<see cref="LoadedPackage"/>) as <c>bytea</c>, written in the same transaction: inside the record
/// a 30 MB package was also a 60 MB escaped JSON string, serialized once more on its way to the database.
/// </summary>
public static class PackageBodies
{
    public const string Name = "package_bodies";

    public static string Table => $"{MartenSetup.Schema}.{Name}";

    public static Table Definition(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn<string>("document_id").AsPrimaryKey();
        table.AddColumn("body", "bytea").NotNull();
        return table;
    }

    /// <summary>Queues the body's write (a correction replaces the body it corrects) in the session's transaction.</summary>
    public static void Store(IDocumentSession session, string documentId, byte[] body) =>
        session.QueueSqlCommand($"insert into {Table} (document_id, body) values (?, ?) on conflict (document_id) do update set body = excluded.body",
            documentId, body);

    /// <summary>Writes many bodies in one transaction of their own, by binary COPY (the bulk load's path).</summary>
    public static async Task WriteAsync(IDocumentStore store, IEnumerable<(string DocumentId, byte[] Body)> bodies, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var delete = new NpgsqlCommand($"create temp table incoming_bodies (document_id text, body bytea) on commit drop", connection, transaction))
            await delete.ExecuteNonQueryAsync(ct);
        await using (var copy = await connection.BeginBinaryImportAsync("copy incoming_bodies (document_id, body) from stdin (format binary)", ct))
        {
            foreach (var (id, body) in bodies)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(body, NpgsqlDbType.Bytea, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var merge = new NpgsqlCommand($"insert into {Table} (document_id, body) select document_id, body from incoming_bodies " +
                                                   "on conflict (document_id) do update set body = excluded.body", connection, transaction))
            await merge.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
