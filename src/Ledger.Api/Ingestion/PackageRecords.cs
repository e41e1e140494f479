using Ledger.Api.Database;
using NpgsqlTypes;

namespace Ledger.Api.Ingestion;

/// <summary>
/// A new document's package record (<see cref="LoadedPackage"/>) put together by the database: each figure's signature is
/// copied into a temporary table as the chunk that states it is written, and the record is built from those rows at the
/// end, in the form Marten writes it (a test holds the two alike). Stored by a session, the record (a signature per figure:
/// 100,000 for the largest package) and then its JSON were all in memory at the last chunk: the one part of a package's
/// write that grew with the package.
/// </summary>
internal static class PackageRecords
{
    private const string Incoming = "incoming_figures";

    /// <summary>The write's table of signed figures; a figure signed twice fails the write (its key).</summary>
    public static async Task BeginAsync(SealedWrite write, CancellationToken ct)
    {
        await using var command = write.Command($"create temp table {Incoming} (figure text primary key, digest text not null, value text) on commit drop");
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task CopyAsync(SealedWrite write, IReadOnlyCollection<KeyValuePair<string, FigureSignature>> signed, CancellationToken ct)
    {
        if (signed.Count == 0) return;
        await using var copy = await write.CopyAsync($"copy {Incoming} (figure, digest, value) from stdin (format binary)", ct);
        foreach (var (figure, signature) in signed)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(figure, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(signature.Digest, NpgsqlDbType.Text, ct);
            if (signature.Value is null) await copy.WriteNullAsync(ct);
            else await copy.WriteAsync(signature.Value, NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>
    /// The record from the rows, stored as <c>session.Store</c> stores it: camel-case members, nulls left out, a figure's
    /// signature as <c>[digest, value]</c> or <c>[digest]</c> (<see cref="FigureSignature"/>).
    /// </summary>
    public static async Task StoreAsync(SealedWrite write, string documentId, string contentHash, string otherContentSignature, CancellationToken ct)
    {
        await using var command = write.Command($$"""
            insert into {{LoadedPackage.Table}} (id, data, mt_dotnet_type, mt_last_modified)
            select @id, jsonb_build_object('id', @id, 'contentHash', @hash,
                       'statements', coalesce(jsonb_object_agg(figure, case when value is null then jsonb_build_array(digest) else jsonb_build_array(digest, value) end), '{}'::jsonb),
                       'otherContentSignature', @other),
                   @type, transaction_timestamp()
            from {{Incoming}}
            on conflict (id) do update set data = excluded.data, mt_dotnet_type = excluded.mt_dotnet_type,
                mt_last_modified = excluded.mt_last_modified, mt_version = md5(random()::text || clock_timestamp()::text)::uuid
            """);
        command.Parameters.AddWithValue("id", NpgsqlDbType.Text, documentId);
        command.Parameters.AddWithValue("hash", NpgsqlDbType.Text, contentHash);
        command.Parameters.AddWithValue("other", NpgsqlDbType.Text, otherContentSignature);
        command.Parameters.AddWithValue("type", NpgsqlDbType.Text, typeof(LoadedPackage).FullName!);
        await command.ExecuteNonQueryAsync(ct);
    }
}
