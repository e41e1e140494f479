using System.Text.Json.Serialization;

using Ledger.Domain.Events;

namespace Ledger.Domain.Figures;

// Events about figures. They go in the stream of the document that states them (StreamKeys.Document), so that a
// package is one append with one concurrency check, however many figures it states; each names its figure. Whether a
// statement reaffirms or silently changes an earlier one depends on which other documents the ledger holds, so that is
// derived by the views in publication order, not stored here.
//
// Lean: an event says only what is particular to its value. What is common to the document (which document, its
// date, who recorded it, when and why) is said once, by the stream's DocumentRecorded (for a correction, by the
// DisclosureCorrected that carries the fixed values). Events recorded by builds before these lean events (94c8b9a,
// 2026-12-02) still carry Document and Recording, and those before e0368e7 (the same day) are in one stream per figure;
// the views read them alike.

/// <summary>
/// A document states a value for a figure (its own period or a comparative). With <paramref name="CitedFrom"/>
/// the document prints the value as that earlier document reported it, not as its own (ZWSOFT's 2021年末 column,
/// left unadjusted beside restated 2022 columns; a 调整前 cell equal to its 调整后 cell): the value then belongs to
/// the cited document, and the citing one is the stream's. <paramref name="Document"/> and <paramref name="Recording"/>
/// only in events recorded before 2026-12-02.
/// </summary>
public sealed record FigureDisclosed(
    string Figure,
    Statement Value,
    int Sequence,
    Location Location,
    string? Note = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DocumentRef? CitedFrom = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DocumentRef? Document = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Recording? Recording = null);

/// <summary>
/// A document states that a figure already reported is now a different value: the value as previously
/// reported (which belongs to <paramref name="PreviousDocument"/>), the restated value, the printed
/// adjustment where there is one, and every cause the document gives. The restating document is the stream's;
/// <paramref name="Document"/> and <paramref name="Recording"/> only in events recorded before 2026-12-02.
/// </summary>
public sealed record FigureRestated(
    string Figure,
    Statement Before,
    DocumentRef PreviousDocument,
    Location BeforeLocation,
    Statement After,
    Statement? Adjustment,
    IReadOnlyList<RestatementReason> Reasons,
    int Sequence,
    Location Location,
    string? Note = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DocumentRef? Document = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Recording? Recording = null);

/// <summary>
/// The ledger's own transcription of a document was wrong and is fixed. Not a company restatement:
/// the document said the corrected values all along. It carries everything the document states about
/// the figure, replacing what the ledger held from it (<paramref name="Previous"/>); both lists empty
/// when the figure was never in the document. <paramref name="PreviouslyCited"/> names the earlier documents
/// whose values the ledger had read as cited by this one (调整前). Both say what the correction replaced as the
/// ledger held it when the correction was decided, so that a reader of the log sees "from" beside "to" without
/// replaying it; the views take <paramref name="Previous"/> into the figure's history, and withdraw the citations
/// by the rows they find cited by the document, not from this list. The fixed values are recorded by
/// <paramref name="Recording"/>.
/// </summary>
public sealed record DisclosureCorrected(
    string Figure,
    string DocumentId,
    IReadOnlyList<Statement> Previous,
    IReadOnlyList<FigureDisclosed> Disclosures,
    IReadOnlyList<FigureRestated> Restatements,
    Recording Recording,
    IReadOnlyList<string>? PreviouslyCited = null);
