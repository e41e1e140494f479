using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Ledger.Projections.Checks;

/// <summary>
/// The checks read model: which entities' findings are due to be worked out again (<c>check_state</c>, marked by
/// <see cref="CheckFreshnessProjection"/> inline with every event that changes what an entity's checks see), and the
/// findings of every entity as last worked out (<c>check_findings</c>, one row each, indexed in paging-key order), so that
/// a page of checks is an indexed range read however large the ledger (<see cref="CheckFindings"/>).
/// </summary>
public static class CheckTables
{
    public const string Findings = "check_findings";
    public const string State = "check_state";

    public static Table FindingsTable(string schema)
    {
        var table = new Table($"{schema}.{Findings}");
        table.AddColumn<string>("entity").NotNull();
        // entity, kind, subject, figures and the position among equals: the order pages go in (ordinal, COLLATE "C").
        table.AddColumn<string>("key").AsPrimaryKey();
        table.AddColumn<string>("verdict").NotNull();
        table.AddColumn("finding", "jsonb").NotNull();
        // Pages go in byte order (COLLATE "C"), whatever the database's collation: the indexes are in that order too.
        table.Indexes.Add(new IndexDefinition($"ix_{Findings}_key_c") { Columns = ["key"], Collation = "C" });
        table.Indexes.Add(new IndexDefinition($"ix_{Findings}_entity_key_c") { Columns = ["entity", "key"], Collation = "C" });
        return table;
    }

    public static Table StateTable(string schema)
    {
        var table = new Table($"{schema}.{State}");
        table.AddColumn<string>("entity").AsPrimaryKey();
        // Bumped by every event that concerns the entity; its findings are current while computed = marked.
        table.AddColumn<long>("marked").NotNull();
        table.AddColumn<long>("computed").NotNull().DefaultValueByExpression("0");
        // How many findings the entity has as last worked out: a page's total without counting the findings.
        table.AddColumn<int>("findings").NotNull().DefaultValueByExpression("0");
        return table;
    }
}
