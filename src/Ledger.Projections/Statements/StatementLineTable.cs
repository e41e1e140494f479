using Weasel.Postgresql.Tables;

namespace Ledger.Projections.Statements;

/// <summary>
/// The statements' read model: one row per figure and span of knowledge time in which its line stays the same
/// (<see cref="KnownStatementLines"/>), so that a statement, now or as of a date, is one indexed query of one row per line
/// and no fold. A figure's rows are written again whenever its stated values change (<see cref="StatementLineRows"/>):
/// they are derived from them, and written in the same transaction.
/// </summary>
public static class StatementLineTable
{
    public const string Name = "statement_lines";

    /// <summary>The columns as <see cref="StatementLineRows"/> writes them.</summary>
    public const string Columns =
        "figure, entity, period, known_from, known_until, location_table, location_row, location_line, " +
        "current_value, current_decimals, current_unit, original_value, original_decimals, original_unit, restated, " +
        "current_from, current_published_on, originally_reported_in, original_published_on_unknown, details";

    /// <summary>The columns a statement reads (<see cref="StatementLineRows.LineOf"/>), in its ordinals.</summary>
    public const string ReadColumns = "figure, location_table, location_row, location_line, current_value, current_decimals, current_unit, " +
        "original_value, original_decimals, original_unit, restated, current_from, current_published_on, originally_reported_in, original_published_on_unknown, details";

    public static Table Of(string schema)
    {
        // A ledger written before 2026-12-06 has the original columns NOT NULL: Weasel's schema check drops that only
        // when asked to compare nullability (tried by hand: without it, that ledger's rebuild at start failed).
        var table = new Table($"{schema}.{Name}") { DetectColumnDrift = true };
        // The keys in byte order (ByteOrderColumn says why).
        table.AddColumn(new ByteOrderColumn("figure")).AsPrimaryKey();
        table.AddColumn("known_from", "date").AsPrimaryKey();
        table.AddColumn(new ByteOrderColumn("entity"));
        table.AddColumn(new ByteOrderColumn("period"));
        // Exclusive; null for the line that stands now.
        table.AddColumn("known_until", "date");
        table.AddColumn<string>("location_table");
        table.AddColumn<string>("location_row");
        table.AddColumn("location_line", "integer");
        table.AddColumn("current_value", "numeric");
        table.AddColumn("current_decimals", "integer");
        table.AddColumn<string>("current_unit").NotNull();
        // The amount as originally reported and its document: null where they are the current ones (StatementLineRows).
        table.AddColumn("original_value", "numeric");
        table.AddColumn("original_decimals", "integer");
        table.AddColumn<string>("original_unit");
        table.AddColumn<bool>("restated").NotNull();
        table.AddColumn<string>("current_from").NotNull();
        table.AddColumn("current_published_on", "date");
        table.AddColumn<string>("originally_reported_in");
        table.AddColumn<bool>("original_published_on_unknown").NotNull();
        // The unusual (a nil or approximate amount, a restatement's reasons: StatementLineDetails), null for most lines.
        table.AddColumn("details", "json");
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_entity_period") { Columns = ["entity", "period"] });
        return table;
    }
}
