using Weasel.Postgresql.Tables;

namespace Ledger.Projections;

/// <summary>
/// A key column of text (a figure key, an entity, a period, a document id) compared and sorted byte by byte, collation
/// "C", whatever the database's collation. The ledger orders these keys ordinally everywhere else (in this process, and
/// in every paging query's <c>collate "C"</c>), and their indexes are built faster so: under a locale such as the
/// embedded cluster's C.UTF-8, PostgreSQL 15 compares text through the C library's strcoll and without abbreviated keys.
/// Building the stated values' three indexes took 3.1 s with the database's collation and 1.9 s with "C" at `medium`,
/// one backend each on an otherwise idle machine (docs/benchmarks.md, "Keys in byte order, COPY rows encoded here",
/// 2026-12-06). Equality is the same under both (a deterministic collation compares equal only identical bytes).
/// <para>
/// The catalog reports such a column back as <c>varchar</c> without its collation, so the schema check compares the
/// type alone and finds nothing to change; a table created before the column was declared so keeps the database's
/// collation until a rebuild empties it and declares it again (<see cref="AlterSql"/>).
/// </para>
/// </summary>
internal sealed class ByteOrderColumn : TableColumn
{
    private const string Declared = "varchar COLLATE \"C\"";

    public ByteOrderColumn(string name) : base(name, "varchar")
    {
        // Set after the base constructor, which lowercases a type (and "c" is no collation).
        Type = Declared;
        AllowNulls = false;
    }

    public override bool Equals(object? obj) =>
        obj is TableColumn actual && string.Equals(Name, actual.Name, StringComparison.OrdinalIgnoreCase) &&
        actual.RawType() is "varchar" or "character varying" or Declared;

    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Name);

    /// <summary>
    /// The table's byte-ordered columns declared so again, for a rebuild that has just emptied the table (so that only
    /// the empty table's indexes on them are built again): how a ledger created before takes them. A collation is part
    /// of a prepared statement's result, so a read prepared before fails once, and is prepared again
    /// (<see cref="PreparedReads"/>, which runs a refused read once more).
    /// </summary>
    public static string AlterSql(Table table) =>
        table.Columns.OfType<ByteOrderColumn>().ToList() is { Count: > 0 } columns
            ? $"alter table {table.Identifier} {string.Join(", ", columns.Select(c => $"alter column {c.QuotedName} type {Declared}"))}; "
            : "";
}
