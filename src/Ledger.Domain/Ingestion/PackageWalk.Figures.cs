using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.Values;

namespace Ledger.Domain.Ingestion;

// A package's figures: its facts and restatements, the documents they cite, and their keys, dimensions and units.
internal sealed partial class PackageWalk
{
    private void ReadFact(PackageFact f, string path)
    {
        var key = Figure(f.Concept, f.Period, f.Opening, f.Scope, f.Dims, path, out var concept);
        var unit = Unit(f.Unit, concept, path + ".unit");
        var value = Value(f, null, unit, path);
        var cited = f.PreviouslyReportedIn is null ? null : CitedDocument(f.PreviouslyReportedIn, path + ".previouslyReportedIn");
        if (key is null || value is null || (f.PreviouslyReportedIn is not null && cited is null)) return;
        _events.Add(new PlannedEvent(StreamKeys.Document(_document.Id), new FigureDisclosed(
            key.ToString(), value, ++_sequence, f.Location ?? new Location(), f.Note, cited)));
    }

    /// <summary>A document the package cites: listed in 'citedDocuments' or already in the ledger, and not this one.</summary>
    private DocumentRef? CitedDocument(string id, string path)
    {
        id = id.Trim();
        if (id == _document.Id) { Error(path, "names the document itself; leave it out for the document's own values"); return null; }
        if (_cited.TryGetValue(id, out var cited)) return cited;
        if (ledger.Documents.TryGetValue(id, out var date))
            return new DocumentRef(id, date, date is null ? _document.PublishedOn : null, date is null ? _document.Id : null);
        Error(path, $"document '{id}' is neither in the ledger nor listed in 'citedDocuments'");
        return null;
    }

    private void ReadRestatement(PackageRestatement r, string path)
    {
        var key = Figure(r.Concept, r.Period, r.Opening, r.Scope, r.Dims, path, out var concept);
        var unit = Unit(r.Unit, concept, path + ".unit");
        Statement? before = null, after = null, adjustment = null;
        if (r.Before is null) Error(path + ".before", "is required");
        else before = Value(r.Before, r.Scale, unit, path + ".before");
        if (r.After is null) Error(path + ".after", "is required");
        else after = Value(r.After, r.Scale, unit, path + ".after");
        if (r.Adjustment is not null) adjustment = Value(r.Adjustment, r.Scale, unit, path + ".adjustment");

        var previousId = Required(r.PreviouslyReportedIn, path + ".previouslyReportedIn");
        var previous = previousId.Length > 0 ? CitedDocument(previousId, path + ".previouslyReportedIn") : null;

        var reasons = (r.Reasons ?? []).OfType<RestatementReason>().ToList();
        if ((r.Reasons?.Count ?? 0) == 0) Error(path + ".reasons", "at least one reason is required");
        foreach (var (reason, rp) in Each(r.Reasons, path + ".reasons"))
        {
            if (!RestatementReasons.All.Contains(reason.Kind ?? ""))
                Error($"{rp}.kind", $"'{reason.Kind}' is not one of: {string.Join(", ", RestatementReasons.All)}");
            if (reason.Kind == RestatementReasons.PolicyChange && (reason.PolicyChange is null || !_policyChanges.Contains(reason.PolicyChange)))
                Error($"{rp}.policyChange", $"policy change '{reason.PolicyChange}' is neither in the ledger nor defined in 'policyChanges'");
        }

        if (before?.Value.Value is { } b && after?.Value.Value is { } a && adjustment?.Value.Value is { } adj && b + adj != a)
            Error(path + ".adjustment", $"before {Amount.Format(b)} + adjustment {Amount.Format(adj)} is not after {Amount.Format(a)}");

        if (key is null || before is null || after is null || previous is null || Errors.Count > 0) return;
        _events.Add(new PlannedEvent(StreamKeys.Document(_document.Id), new FigureRestated(
            key.ToString(), before, previous, r.Before!.Location ?? new Location(), after, adjustment, reasons,
            ++_sequence, r.After!.Location ?? r.Location ?? new Location(), r.Note)));
    }

    /// <summary>
    /// A figure's dimensions checked: they are parts of its key, which '|', ';' and '=' separate and which is read back
    /// trimmed (<see cref="FigureKey.ParseDimensions"/>), so a name or member padded with spaces would not come back as
    /// written.
    /// </summary>
    private void CheckDimensions(IReadOnlyDictionary<string, string>? dims, string path)
    {
        foreach (var (k, v) in dims ?? new Dictionary<string, string>())
            if (!FigureKey.IsDimensionPart(k) || !FigureKey.IsDimensionPart(v))
                Error($"{path}.{k}", FigureKey.DimensionPartRule);
            else if (k == FigureKey.ReservedDimension)
                Error($"{path}.{k}", $"'{k}' is the xBRL export's own axis (ledger:{k}, the document a value was reported in); name the dimension otherwise");
    }

    /// <summary>Dimensions checked (<see cref="CheckDimensions"/>) and written as a key writes them.</summary>
    private string Dimensions(IReadOnlyDictionary<string, string>? dims, string path)
    {
        CheckDimensions(dims, path);
        return FigureKey.FormatDimensions(dims);
    }

    private FigureKey? Figure(string? conceptId, string? periodText, bool? opening, string? scope, IReadOnlyDictionary<string, string>? dims,
        string path, out Concept? concept)
    {
        concept = null;
        var id = Required(conceptId, path + ".concept");
        if (id.Length > 0 && !catalog.TryGet(id, out concept)) Error(path + ".concept", $"unknown concept '{id}'");
        var text = Required(periodText, path + ".period");
        Period? period = null;
        if (text.Length > 0 && (period = Resolve(text)) is null) Error(path + ".period", $"'{text}' is not a period ({Period.Forms})");
        if (period is not null && opening == true)
        {
            if (period.Type != PeriodType.Instant) Error(path + ".opening", "an opening balance needs an instant period such as 2022-01-01");
            else if (Period.TryOpeningBalance(period.Start, out var openingBalance)) period = openingBalance;
            else { Error(path + ".opening", $"an opening balance is held at the day before {text}, which is no period the ledger keys"); period = null; }
        }
        if (concept is { External: false } && period is not null && concept.PeriodType != period.Type)
            Error(path + ".period", $"'{text}' is {(period.Type == PeriodType.Instant ? "an instant" : "a duration")} but {concept.Id} is measured over {(concept.PeriodType == PeriodType.Instant ? "an instant (a balance-sheet date)" : "a duration (FY, H or Q)")}");
        var s = scope ?? Scopes.Consolidated;
        if (!Scopes.IsKnown(s)) Error(path + ".scope", $"'{s}' is not consolidated or parent");
        CheckDimensions(dims, path + ".dims");
        if (id.Length == 0 || concept is null || period is null || _entity.Length == 0) return null;
        return new FigureKey(_entity, id, period.Id, s, dims);
    }

    private Period? Resolve(string text)
    {
        if (!ReferenceEquals(_periodsCalendar, _calendar)) { _periods.Clear(); _periodsCalendar = _calendar; }
        if (!_periods.TryGetValue(text, out var period))
            _periods[text] = period = _calendar.TryResolve(text, out var resolved) ? resolved : null;
        return period;
    }

    private string Unit(string? unit, Concept? concept, string path)
    {
        var u = Required(unit, path);
        if (u.Length == 0) return u;
        if (!Units.IsKnown(u)) Error(path, $"'{u}' is not a unit the ledger knows (an ISO 4217 currency such as CNY, CNY/share, pure, shares, count, or a lower-case count such as segment)");
        else if (concept is not null && !concept.Accepts(u)) Error(path, $"'{u}' does not suit {concept.Id}, whose values are {concept.DataType.ToString().ToLowerInvariant()}");
        return u;
    }
}
