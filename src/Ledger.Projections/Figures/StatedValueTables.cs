using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Ledger.Projections.Figures;

/// <summary>
/// The relational read model of figures: one row per value a document stated (or is cited as having stated), and one
/// row per fix to the ledger's own transcription. Current, point-in-time, statement and history reads are each one
/// indexed query over these rows; the timeline rules (reaffirmed, silently changed, cited, corrected) are applied at
/// read time to the few rows of each figure (<see cref="FigureReads"/>), so no row is ever rewritten by a later document.
/// </summary>
public static class StatedValueTables
{
    public const string StatedValues = "stated_values";
    public const string TranscriptionCorrections = "transcription_corrections";

    public static Table StatedValuesTable(string schema)
    {
        var table = new Table($"{schema}.{StatedValues}");
        // The order the ledger learnt the values in, by which a figure's rows are folded: rows are inserted after their
        // events, under the log's lock, so this follows the events' sequence live and rebuilt (MartenSetup, AppendMode).
        // It only orders: a rebuild numbers rows afresh.
        table.AddColumn("position", "bigserial").AsPrimaryKey();
        table.AddColumn<string>("figure").NotNull();
        table.AddColumn<string>("entity").NotNull();
        table.AddColumn<string>("concept").NotNull();
        table.AddColumn<string>("period").NotNull();
        table.AddColumn<string>("scope").NotNull();
        table.AddColumn<string>("dimensions").NotNull();
        // disclosure | restatement | cited (a value a later document prints as this document's)
        table.AddColumn<string>("kind").NotNull();
        // The document the value belongs to (for a cited value, the cited document; cited_by names the citing one).
        table.AddColumn<string>("document_id").NotNull();
        table.AddColumn("published_on", "date");
        table.AddColumn("known_no_later_than", "date");
        table.AddColumn<string>("cited_by");
        table.AddColumn<int>("sequence").NotNull();
        table.AddColumn("value", "numeric");
        table.AddColumn("decimals", "integer");
        table.AddColumn<string>("unit").NotNull();
        // Everything else the document said about the value (printed text, location, reasons, recording), for the history.
        // json, not jsonb: it is only ever written whole and read whole, never queried into, and json is stored and given
        // back as the text it was (no parsing into a tree on every insert, no printing on every read).
        table.AddColumn("statement", "json").NotNull();
        // What a statement shows and folds beyond the columns above, so that a statement reads no JSON but the rare
        // details (StatementDetails: null for most rows): where the value is printed, and the unusual.
        table.AddColumn<string>("location_table");
        table.AddColumn<string>("location_row");
        table.AddColumn("location_line", "integer");
        table.AddColumn("details", "json");
        table.Indexes.Add(new IndexDefinition($"ix_{StatedValues}_entity_period") { Columns = ["entity", "period"] });
        table.Indexes.Add(new IndexDefinition($"ix_{StatedValues}_figure") { Columns = ["figure"] });
        table.Indexes.Add(new IndexDefinition($"ix_{StatedValues}_entity_document") { Columns = ["entity", "document_id"] });
        return table;
    }

    public static Table TranscriptionCorrectionsTable(string schema)
    {
        var table = new Table($"{schema}.{TranscriptionCorrections}");
        table.AddColumn("position", "bigserial").AsPrimaryKey();
        table.AddColumn<string>("figure").NotNull();
        table.AddColumn<string>("entity").NotNull();
        table.AddColumn<string>("period").NotNull();
        table.AddColumn<string>("document_id").NotNull();
        table.AddColumn("correction", "jsonb").NotNull();
        table.Indexes.Add(new IndexDefinition($"ix_{TranscriptionCorrections}_figure") { Columns = ["figure"] });
        table.Indexes.Add(new IndexDefinition($"ix_{TranscriptionCorrections}_entity_period") { Columns = ["entity", "period"] });
        return table;
    }
}
