using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.Values;

namespace Ledger.Projections.Figures;

/// <summary>
/// What a statement's fold reads of a stated value beyond its typed columns, when it is not the usual: a nil cell, an
/// approximate or lower-bound value, a filing's form, a restatement's reasons. Null (no column value) for most rows, so a
/// statement reads typed columns only (<see cref="FigureReads.ForStatementAsync"/>).
/// </summary>
internal sealed record StatementDetails(NilKind? Nil = null, bool Approximate = false, bool LowerBound = false, string? Form = null,
    IReadOnlyList<RestatementReason>? Reasons = null)
{
    public static StatementDetails? Of(StatedValue s)
    {
        var (value, reasons) = (s.Value.Value, s.Kind == StatementKinds.Restatement && s.Reasons.Count > 0 ? s.Reasons : null);
        return value.Nil is null && !value.Approximate && !value.LowerBound && s.Document.Form is null && reasons is null
            ? null
            : new StatementDetails(value.Nil, value.Approximate, value.LowerBound, s.Document.Form, reasons);
    }
}
