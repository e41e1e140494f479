using Ledger.Domain.Events;
using Ledger.Domain.Figures;

namespace Ledger.Projections.Figures;

/// <summary>
/// What a figure's history shows of a stated value that neither the row's typed columns nor its statement details hold:
/// how the value was printed (its characters and scale, the page, section and column), a restatement's printed "before"
/// and adjustment, a note, and the citing document a cited document of unknown date is known by. Null (no column value)
/// when the value has none of it, as every value of the benchmark's synthetic market.
/// </summary>
internal sealed record HistoryDetails(
    string? Printed = null, string? Scale = null, int? Page = null, string? Section = null, string? Column = null,
    Statement? PrintedBefore = null, Statement? Adjustment = null, string? Note = null, string? DocumentCitedBy = null)
{
    public static HistoryDetails? Of(StatedValue s)
    {
        var details = new HistoryDetails(s.Value.Printed, s.Value.Scale, s.Location.Page, s.Location.Section, s.Location.Column,
            s.PrintedBefore, s.Adjustment, s.Note, s.Document.CitedBy);
        return details == None ? null : details;
    }

    private static readonly HistoryDetails None = new();

    /// <summary>The stated value as its history shows it: what a statement reads, with these details and who recorded it.</summary>
    public static StatedValue Complete(StatedValue read, HistoryDetails? details, Recording recording) => details is null
        ? read with { Recording = recording }
        : read with
        {
            Document = read.Document with { CitedBy = details.DocumentCitedBy },
            Value = read.Value with { Printed = details.Printed, Scale = details.Scale },
            Location = read.Location with { Page = details.Page, Section = details.Section, Column = details.Column },
            PrintedBefore = details.PrintedBefore,
            Adjustment = details.Adjustment,
            Note = details.Note,
            Recording = recording,
        };
}
