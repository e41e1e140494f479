using Ledger.Api.Figures;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Projections.Statements;

namespace Ledger.Api.Statements;

public sealed record StatementResponse(string Entity, string Period, string? AsOf, IReadOnlyList<StatementLineView> Lines);

public sealed record StatementLineView(
    string Figure, string Concept, string Label, string Period, string Scope, string Dimensions, string? Table, string? Row,
    ValueView Current, ValueView? AsOriginallyReported, bool Restated, DocumentView CurrentFrom, DocumentView OriginallyReportedIn,
    IReadOnlyList<RestatementReason> Reasons)
{
    public static StatementLineView Of(StatementLine l, ConceptCatalog catalog, string? language) =>
        new(l.Figure, l.Concept, catalog.TryGet(l.Concept, out var c) ? c.Label(ConceptCatalog.LabelLanguage(language)) : l.Concept,
            l.Period, l.Scope, l.Dimensions, l.Table, l.Row,
            ValueView.Of(l.Current)!, ValueView.Of(l.AsOriginallyReported), l.Restated,
            DocumentView.Of(l.CurrentFrom, l.CurrentPublishedOn),
            new DocumentView(l.OriginallyReportedIn, null, l.OriginalPublishedOnUnknown, null), l.Reasons);
}
