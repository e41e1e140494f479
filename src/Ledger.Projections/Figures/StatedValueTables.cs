using Ledger.Domain.Events;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Ledger.Projections.Figures;

/// <summary>
/// The relational read model of figures: one row per value a document stated (or is cited as having stated), and one
/// row per fix to the ledger's own transcription. Current, point-in-time, statement and history reads are each one
/// indexed query over these rows; the timeline rules (reaffirmed, silently changed, cited, corrected) are applied at
/// read time to the few rows of each figure (<see cref="FigureReads"/>), so no row is ever rewritten by a later document.
/// A value is held in typed columns and, only for what they cannot hold, two small JSON columns, mostly null.
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
        // The keys the indexes are on, in byte order (ByteOrderColumn says why).
        table.AddColumn(new ByteOrderColumn("figure"));
        table.AddColumn(new ByteOrderColumn("entity"));
        table.AddColumn<string>("concept").NotNull();
        table.AddColumn(new ByteOrderColumn("period"));
        table.AddColumn<string>("scope").NotNull();
        table.AddColumn<string>("dimensions").NotNull();
        // disclosure | restatement | cited (a value a later document prints as this document's)
        table.AddColumn<string>("kind").NotNull();
        // The document the value belongs to (for a cited value, the cited document; cited_by names the citing one).
        table.AddColumn(new ByteOrderColumn("document_id"));
        table.AddColumn("published_on", "date");
        table.AddColumn("known_no_later_than", "date");
        table.AddColumn<string>("cited_by");
        table.AddColumn<int>("sequence").NotNull();
        table.AddColumn("value", "numeric");
        table.AddColumn("decimals", "integer");
        table.AddColumn<string>("unit").NotNull();
        // What a statement shows and folds beyond the columns above, so that a statement reads no JSON but the rare
        // details (StatementDetails: null for most rows): where the value is printed, and the unusual. json, not jsonb:
        // only ever written whole and read whole, never queried into; json is stored and given back as the text it was.
        table.AddColumn<string>("location_table");
        table.AddColumn<string>("location_row");
        table.AddColumn("location_line", "integer");
        table.AddColumn("details", "json");
        // Who recorded the value, why and when, for the history (a statement does not read them). Always written, but
        // nullable: Marten's schema check will not add a required column without a default to an existing table, and a
        // table an older build filled must take these columns at start, before the rebuild that follows refills it.
        table.AddColumn<string>("recorded_by");
        table.AddColumn("recorded_at", "timestamptz");
        table.AddColumn<string>("recording_reason");
        table.AddColumn<string>("correlation_id");
        // The rest of what the document said, which only the history shows (HistoryDetails: printed text, page, a
        // restatement's printed "before", a note; null when there is none). Until 2026-12-05 each row also carried the
        // whole value as JSON: serializing it was half of what a rebuild's writing thread did, and PostgreSQL took twice
        // as long to COPY the rows with it (2.5 s against 1.25 s for medium's 970,000 rows).
        table.AddColumn("history_details", "json");
        table.Indexes.Add(new IndexDefinition($"ix_{StatedValues}_entity_period") { Columns = ["entity", "period"] });
        table.Indexes.Add(new IndexDefinition($"ix_{StatedValues}_figure") { Columns = ["figure"] });
        table.Indexes.Add(new IndexDefinition($"ix_{StatedValues}_entity_document") { Columns = ["entity", "document_id"] });
        return table;
    }

    /// <summary>
    /// When a value was recorded, as the column holds it: in UTC, which is how the ledger's clock records (Recording.At);
    /// PostgreSQL keeps the instant, not the offset it was written with.
    /// </summary>
    public static DateTimeOffset RecordedAt(Recording recording) => recording.RecordedAt.ToUniversalTime();

    public static Table TranscriptionCorrectionsTable(string schema)
    {
        var table = new Table($"{schema}.{TranscriptionCorrections}");
        table.AddColumn("position", "bigserial").AsPrimaryKey();
        table.AddColumn(new ByteOrderColumn("figure"));
        table.AddColumn(new ByteOrderColumn("entity"));
        table.AddColumn(new ByteOrderColumn("period"));
        table.AddColumn<string>("document_id").NotNull();
        table.AddColumn("correction", "jsonb").NotNull();
        table.Indexes.Add(new IndexDefinition($"ix_{TranscriptionCorrections}_figure") { Columns = ["figure"] });
        table.Indexes.Add(new IndexDefinition($"ix_{TranscriptionCorrections}_entity_period") { Columns = ["entity", "period"] });
        return table;
    }
}
