using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Concepts;
using Ledger.Domain.Documents;
using Ledger.Domain.Entities;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.Imports;
using Ledger.Domain.NonGaap;
using Ledger.Domain.Parsing;
using Ledger.Domain.PolicyChanges;
using Ledger.Domain.Values;

namespace Ledger.Domain.Ingestion;

/// <summary>One bad field: its JSON path in the package and what is wrong with it.</summary>
public sealed record PackageError(string Path, string Message);

/// <summary>What the ledger already holds that a package may refer to.</summary>
public sealed record LedgerContext(
    IReadOnlySet<string> Entities,
    IReadOnlyDictionary<string, DateOnly?> Documents,
    IReadOnlySet<string> PolicyChanges,
    // The fiscal calendars of entities that do not close on 31 December.
    IReadOnlyDictionary<string, FiscalCalendar>? Calendars = null)
{
    public static LedgerContext Empty { get; } = new(
        new HashSet<string>(), new Dictionary<string, DateOnly?>(), new HashSet<string>());
}

/// <summary>An event and the stream it belongs to.</summary>
public sealed record PlannedEvent(string Stream, object Event);

/// <summary>
/// A package that passed validation, as the events it records: <see cref="Events"/> in the order they are written,
/// <see cref="EventCount"/> of them. A package whose facts are still in its bytes (<see cref="PackageItems{T}"/>) reads
/// them again each time its events are enumerated, one at a time, rather than keep them all.
/// </summary>
public sealed record PackagePlan(
    string DocumentId,
    string Entity,
    DateOnly PublishedOn,
    IEnumerable<PlannedEvent> Events,
    int EventCount,
    int Facts,
    int Restatements,
    int Reconciliations,
    // The entities the package registers (their streams start with it).
    IReadOnlyList<string> RegisteredEntities,
    // The figures stated by more than one of the package's facts and restatements (and perhaps a few stated once): what
    // must be read whole before a figure is known, where every other figure is known from its one statement.
    IReadOnlySet<string> RepeatedFigures,
    // The package's restatements, kept: what the decision compares with the ledger (a document restates a few figures;
    // its facts are not read again for them).
    IReadOnlyList<FigureRestated> Restated);

/// <summary>
/// Reads a disclosure package into events. Pure: the ledger's state comes in as a <see cref="LedgerContext"/>.
/// It collects every error before answering, so that a preparer fixes a package in one round.
/// </summary>
public sealed class PackageReader(ConceptCatalog catalog)
{
    public const int MaxFacts = 100_000;
    /// <summary>The languages a document is written in and an entity is named in.</summary>
    public static readonly IReadOnlySet<string> Languages = new HashSet<string>(["zh-Hans", "zh-Hant", "en"], StringComparer.Ordinal);

    /// <summary>The accounting standards an entity reports under.</summary>
    public static readonly IReadOnlySet<string> Standards = new HashSet<string>(["CAS", "IFRS", "HKFRS", "US-GAAP"], StringComparer.Ordinal);
    private static readonly HashSet<string> Kinds = ["annual-report", "interim-report", "quarterly-report", "results-announcement", "press-release", "prospectus"];

    private const string EntityIdRule = "an entity id is 1 to 64 characters without spaces or any of | / ; = # ? % (it is the first part of every figure key and document id)";

    /// <summary>An id that can lead a figure key (<c>|</c>-separated), a document id (<c>{entity}/…</c>) and a URL path segment.</summary>
    public static bool IsEntityId(string id) =>
        id.Length is > 0 and <= 64 && !id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '|' or '/' or ';' or '=' or '#' or '?' or '%');

    public (PackagePlan? Plan, IReadOnlyList<PackageError> Errors) Read(
        DisclosurePackage package, LedgerContext ledger, Recording recording, string contentHash)
    {
        var r = new Run(catalog, ledger, recording);
        // Facts held in memory keep their events; facts still in the package's bytes are read again for their events.
        var kept = StreamedPackages.IsStreamed(package) ? null : new List<PlannedEvent>();
        var (count, registered, repeated, restated) = (0, new List<string>(), new HashSet<string>(StringComparer.Ordinal), new List<FigureRestated>());
        // Figures seen, by a 64-bit hash of their key rather than the key: 100,000 figures in a few megabytes. A figure seen
        // again is repeated; one that only shares a hash with another is taken for repeated too, which costs nothing but memory.
        var seen = new HashSet<long>();
        foreach (var e in r.Walk(package, contentHash))
        {
            count++;
            kept?.Add(e);
            if (e.Event is EntityRegistered entity) registered.Add(entity.Entity);
            if (e.Event is FigureRestated restatement) restated.Add(restatement);
            if (e.Event switch { FigureDisclosed d => d.Figure, FigureRestated x => x.Figure, _ => null } is { } figure && !seen.Add(Fnv1a(figure)))
                repeated.Add(figure);
        }
        if (r.Errors.Count > 0 || r.Plan is not { } plan) return (null, r.Errors);
        return (plan with
        {
            Events = (IEnumerable<PlannedEvent>?)kept ?? new Replay(() => new Run(catalog, ledger, recording), package, contentHash),
            EventCount = count, RegisteredEntities = registered, RepeatedFigures = repeated, Restated = restated,
        }, r.Errors);
    }

    /// <summary>FNV-1a, 64 bits, of a string's UTF-16 code units: the same in every process, unlike string.GetHashCode.</summary>
    private static long Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text) hash = (hash ^ c) * 1099511628211UL;
        return unchecked((long)hash);
    }

    /// <summary>A valid package's events read again from it, each time they are enumerated.</summary>
    private sealed class Replay(Func<Run> run, DisclosurePackage package, string contentHash) : IEnumerable<PlannedEvent>
    {
        public IEnumerator<PlannedEvent> GetEnumerator()
        {
            var r = run();
            foreach (var e in r.Walk(package, contentHash)) yield return e;
            // The same bytes read against the same ledger: an error now would be a reader that is not a function of them.
            if (r.Errors.Count > 0) throw new InvalidOperationException($"a package read again found {r.Errors[0].Path}: {r.Errors[0].Message}");
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class Run(ConceptCatalog catalog, LedgerContext ledger, Recording recording)
    {
        public readonly List<PackageError> Errors = [];
        private readonly List<PlannedEvent> _events = [];
        private readonly Dictionary<string, DocumentRef> _cited = new(StringComparer.Ordinal);
        private readonly HashSet<string> _policyChanges = new(ledger.PolicyChanges, StringComparer.Ordinal);
        private readonly List<ConvenienceTranslation> _translations = [];
        private string _entity = "";
        // What FY2024, 2024H1 and 2024Q3 mean for the document's entity.
        private FiscalCalendar _calendar = FiscalCalendar.CalendarYear;
        private DocumentRef _document = new("", null);
        private int _sequence;
        // A package names a handful of periods for thousands of facts: each text is resolved once for the calendar in force.
        private readonly Dictionary<string, Period?> _periods = new(StringComparer.Ordinal);
        private FiscalCalendar? _periodsCalendar;

        private void Error(string path, string message) => Errors.Add(new(path, message));

        /// <summary>The plan's particulars once <see cref="Walk"/> has run through a package without an error (its events aside).</summary>
        public PackagePlan? Plan { get; private set; }

        /// <summary>
        /// The package's events in the order they are written, each as soon as its part of the package is read: the entities
        /// it registers and the policy changes it adopts, the document's record (last instead when it states no fact and
        /// restates nothing), its facts and restatements one by one, then its reconciliations and calculations. Errors are
        /// collected in <see cref="Errors"/>, and the events of a package with any are no plan's.
        /// </summary>
        public IEnumerable<PlannedEvent> Walk(DisclosurePackage p, string contentHash)
        {
            var d = p.Document;
            if (d is null) { Error("$.document", "is required"); yield break; }

            var documentId = Required(d.Id, "$.document.id");
            _entity = Required(d.Entity, "$.document.entity");
            if (_entity.Length > 0 && !IsEntityId(_entity)) Error("$.document.entity", EntityIdRule);
            if (documentId.Length > 0 && _entity.Length > 0 && !documentId.StartsWith(_entity + "/", StringComparison.Ordinal))
                Error("$.document.id", $"must be '{{entity}}/{{slug}}' with the entity '{_entity}'");
            var kind = Required(d.Kind, "$.document.kind");
            if (kind.Length > 0 && !Kinds.Contains(kind) && !Filings.IsFiling(kind))
                Error("$.document.kind", $"'{kind}' is not one of: {string.Join(", ", Kinds)}, or an SEC form ({string.Join(", ", Filings.Forms)}, …)");
            var amends = d.Amends?.Trim();
            if (amends is not null && (!Filings.IsAmendment(kind) || !amends.StartsWith(_entity + "/", StringComparison.Ordinal) || amends == documentId))
                Error("$.document.amends", $"only an amendment (an SEC form ending /A: 10-K/A, 20-F/A, …) names the filing it amends, another document of '{_entity}'");
            var title = Required(d.Title, "$.document.title");
            var language = Required(d.Language, "$.document.language");
            if (language.Length > 0 && !Languages.Contains(language)) Error("$.document.language", $"'{language}' is not one of: zh-Hans, zh-Hant, en");
            var publishedOn = Date(d.PublishedOn, "$.document.publishedOn", required: true);
            _document = new DocumentRef(documentId, publishedOn);

            var definedEntities = ReadEntities(p.Entities);
            if (!definedEntities && ledger.Calendars?.TryGetValue(_entity, out var known) == true) _calendar = known;
            if (_entity.Length > 0 && !definedEntities && !ledger.Entities.Contains(_entity))
                Error("$.document.entity", $"entity '{_entity}' is not in the ledger and the package does not define it in 'entities'");

            ReadCitedDocuments(p.CitedDocuments, publishedOn, documentId);
            ReadTranslations(p.ConvenienceTranslations);
            ReadPolicyChanges(p.PolicyChanges);
            foreach (var e in Drain()) yield return e;

            var facts = p.Facts ?? [];
            var restatements = p.Restatements ?? [];
            var reconciliations = p.NonGaapReconciliations ?? [];
            if (facts.Count + restatements.Count > MaxFacts)
                Error("$.facts", $"a package holds at most {MaxFacts} facts and restatements; split the document");

            // The document's stream opens with what the document is: a package written in chunks (large ones are) then
            // says it in its first chunk, and a view reading any later event of the stream finds it already written.
            PlannedEvent Recorded() => new(StreamKeys.Document(documentId), new DocumentRecorded(
                documentId, _entity, kind, title, language, publishedOn!.Value, d.Source, contentHash,
                facts.Count, restatements.Count, reconciliations.Count, _translations, recording, amends));
            // Facts and restatements are the document stream's events; without them it is opened last.
            var recordedFirst = facts.Count + restatements.Count > 0;
            if (recordedFirst && Errors.Count == 0 && publishedOn is not null) yield return Recorded();

            foreach (var (f, path) in Each(facts, "$.facts"))
            {
                ReadFact(f, path);
                foreach (var e in Drain()) yield return e;
            }
            foreach (var (r, path) in Each(restatements, "$.restatements"))
            {
                ReadRestatement(r, path);
                foreach (var e in Drain()) yield return e;
            }
            foreach (var (r, path) in Each(reconciliations, "$.nonGaapReconciliations")) ReadReconciliation(r, path);
            ReadCalculations(p.Calculations);
            foreach (var e in Drain()) yield return e;

            if (Errors.Count > 0 || publishedOn is null) yield break;
            if (!recordedFirst) yield return Recorded();
            Plan = new PackagePlan(documentId, _entity, publishedOn.Value, [], 0, facts.Count, restatements.Count, reconciliations.Count, [], new HashSet<string>(), []);
        }

        /// <summary>The events read since the last drain, handed on and let go.</summary>
        private IEnumerable<PlannedEvent> Drain()
        {
            for (var i = 0; i < _events.Count; i++) yield return _events[i];
            _events.Clear();
        }

        private bool ReadEntities(IReadOnlyList<PackageEntity>? entities)
        {
            var definesOwn = false;
            foreach (var (e, path) in Each(entities, "$.entities"))
            {
                var id = Required(e.Id, path + ".id");
                if (id.Length > 0 && !IsEntityId(id)) Error(path + ".id", EntityIdRule);
                var standard = Required(e.Standard, path + ".standard");
                if (standard.Length > 0 && !Standards.Contains(standard)) Error(path + ".standard", $"'{standard}' is not one of: {string.Join(", ", Standards)}");
                var currency = Required(e.Currency, path + ".currency");
                if (currency.Length > 0 && !Units.IsCurrency(currency)) Error(path + ".currency", $"'{currency}' is not an ISO 4217 currency (CNY, USD, HKD, …)");
                if (e.Names is null || e.Names.Count == 0) Error(path + ".names", "at least one name is required");
                else foreach (var lang in e.Names.Keys.Where(l => !Languages.Contains(l))) Error($"{path}.names.{lang}", "language must be zh-Hans, zh-Hant or en");
                var calendar = FiscalCalendar.CalendarYear;
                if (e.FiscalYearEnd is not null && !FiscalCalendar.TryParse(e.FiscalYearEnd, out calendar))
                    Error(path + ".fiscalYearEnd", $"'{e.FiscalYearEnd}' is not a year end (--01-31, last Saturday of September, Saturday nearest the end of January)");
                calendar ??= FiscalCalendar.CalendarYear;
                // An entity the ledger holds keeps its calendar: its figures are keyed by it.
                if (id.Length > 0 && ledger.Entities.Contains(id))
                {
                    var held = ledger.Calendars?.GetValueOrDefault(id) ?? FiscalCalendar.CalendarYear;
                    if (e.FiscalYearEnd is not null && calendar != held)
                        Error(path + ".fiscalYearEnd", $"the ledger holds '{id}' with its year ending {held}; a package cannot change it");
                    calendar = held;
                }
                if (id == _entity) { definesOwn = true; _calendar = calendar; }
                // An entity already in the ledger is not registered again: the package restates what is known.
                if (id.Length > 0 && !ledger.Entities.Contains(id))
                    _events.Add(new PlannedEvent(StreamKeys.Entity(id), new EntityRegistered(
                        id, e.Names ?? new Dictionary<string, string>(), standard, currency, _document.Id, recording,
                        calendar is { IsCalendarYear: false } ? calendar.ToString() : null)));
            }
            return definesOwn;
        }

        private void ReadCitedDocuments(IReadOnlyList<PackageCitedDocument>? cited, DateOnly? citingDate, string citingId)
        {
            foreach (var (c, path) in Each(cited, "$.citedDocuments"))
            {
                var id = Required(c.Id, path + ".id");
                var published = Date(c.PublishedOn, path + ".publishedOn", required: false);
                if (published is not null && citingDate is not null && published > citingDate)
                    Error(path + ".publishedOn", "a cited document cannot be published after the document that cites it");
                if (ledger.Documents.TryGetValue(id, out var known) && known is not null) published ??= known;
                if (id.Length > 0)
                    _cited[id] = published is null ? new DocumentRef(id, null, citingDate, citingId) : new DocumentRef(id, published);
            }
        }

        private void ReadTranslations(IReadOnlyList<PackageConvenienceTranslation>? translations)
        {
            foreach (var (t, path) in Each(translations, "$.convenienceTranslations"))
            {
                if (t.From is null || !Units.IsCurrency(t.From)) Error(path + ".from", "must be a currency (CNY, USD, HKD)");
                if (t.To is null || !Units.IsCurrency(t.To)) Error(path + ".to", "must be a currency (CNY, USD, HKD)");
                if (!decimal.TryParse(t.Rate, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) || rate <= 0)
                    Error(path + ".rate", "must be a positive decimal string such as \"7.2993\"");
                else if (t.From is not null && t.To is not null) _translations.Add(new ConvenienceTranslation(t.From, t.To, rate));
            }
        }

        private void ReadPolicyChanges(IReadOnlyList<PackagePolicyChange>? changes)
        {
            foreach (var (c, path) in Each(changes, "$.policyChanges"))
            {
                var id = Required(c.Id, path + ".id");
                var title = Required(c.Title, path + ".title");
                var effective = Date(c.EffectiveFrom, path + ".effectiveFrom", required: true);
                var transition = c.Transition ?? "retrospective";
                if (transition is not ("retrospective" or "prospective" or "modified-retrospective"))
                    Error(path + ".transition", "must be retrospective, modified-retrospective or prospective");
                var effects = new List<PolicyEffect>();
                foreach (var (f, fp) in Each(c.CurrentPeriodEffects, path + ".currentPeriodEffects"))
                {
                    var key = Figure(f.Concept, f.Period, f.Opening, f.Scope, f.Dims, fp, out var concept);
                    var unit = Unit(f.Unit, concept, fp + ".unit");
                    var value = Value(f, null, unit, fp);
                    if (key is not null && value is not null) effects.Add(new PolicyEffect(key.ToString(), value, f.Location ?? new Location()));
                }
                if (id.Length > 0) _policyChanges.Add(id);
                if (id.Length > 0 && effective is not null)
                    _events.Add(new PlannedEvent(StreamKeys.Entity(_entity), new AccountingPolicyChangeAdopted(
                        _entity, id, title, effective.Value, transition, effects, _document, c.Location ?? new Location(), recording)));
            }
        }

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

        private void ReadReconciliation(PackageReconciliation r, string path)
        {
            var measure = Required(r.Measure, path + ".measure");
            if (measure.Length > 0 && !catalog.TryGet(measure, out _)) Error(path + ".measure", $"unknown concept '{measure}'");
            var period = Required(r.Period, path + ".period");
            Period? resolved = null;
            if (period.Length > 0 && !_calendar.TryResolve(period, out resolved)) Error(path + ".period", $"'{period}' is not a period ({Period.Forms})");
            var unit = Required(r.Unit, path + ".unit");
            if (unit.Length > 0 && !Units.IsCurrency(unit)) Error(path + ".unit", $"'{unit}' is not a currency");

            ReconciliationLine? Line(PackageReconciliationLine? l, string p)
            {
                if (l is null) { Error(p, "is required"); return null; }
                var label = Required(l.Label, p + ".label");
                if (l.Concept is not null && !catalog.TryGet(l.Concept, out _)) Error(p + ".concept", $"unknown concept '{l.Concept}'");
                var v = Value(l, r.Scale, unit, p);
                return v is null ? null : new ReconciliationLine(label, l.Concept, v);
            }

            var start = Line(r.Start, path + ".start");
            var adjustments = new List<ReconciliationLine>();
            var list = r.Adjustments ?? [];
            if (list.Count == 0) Error(path + ".adjustments", "at least one adjustment line is required");
            foreach (var (a, ap) in Each(list, path + ".adjustments"))
                if (Line(a, ap) is { } l) adjustments.Add(l);
            var total = Line(r.Total, path + ".total");
            if (start is null || total is null || adjustments.Count != list.Count || Errors.Count > 0) return;

            var dims = FigureKey.FormatDimensions(r.Dims);
            _events.Add(new PlannedEvent(StreamKeys.Reconciliation(_entity, measure, resolved!.Id, dims),
                new NonGaapReconciliationDisclosed(_entity, measure, resolved.Id, dims, unit, start, adjustments, total,
                    _document, ++_sequence, r.Location ?? new Location(), recording)));
        }

        /// <summary>What a calculation can add: amounts, counts (people, meetings, patents) and numbers of shares; not ratios or per-share amounts.</summary>
        private static bool Additive(DataType type) => type is DataType.Monetary or DataType.Count or DataType.Shares;

        private static string Kind(DataType type) => type switch
        {
            DataType.Monetary => "amount", DataType.PerShare => "per-share amount", DataType.Ratio => "ratio",
            DataType.Count => "count", DataType.Shares => "number of shares", _ => type.ToString(),
        };

        private void ReadCalculations(IReadOnlyList<PackageCalculation>? calculations)
        {
            var relations = new List<CalculationRelation>();
            foreach (var (c, path) in Each(calculations, "$.calculations"))
            {
                var totalId = Required(c.Total, path + ".total");
                Concept? total = null;
                if (totalId.Length > 0 && !catalog.TryGet(totalId, out total)) Error(path + ".total", $"unknown concept '{totalId}'");
                if (total is not null && !Additive(total.DataType))
                    Error(path + ".total", $"{totalId} is a {Kind(total.DataType)}; calculations add amounts, counts or numbers of shares");
                if (c.Scope is not null && !Scopes.IsKnown(c.Scope)) Error(path + ".scope", $"'{c.Scope}' is not consolidated or parent");
                var dims = Dimensions(c.Dims, path + ".dims");
                var members = new List<CalculationMember>();
                if ((c.Members?.Count ?? 0) == 0) Error(path + ".members", "at least one member is required");
                foreach (var (m, mp) in Each(c.Members, path + ".members"))
                {
                    var id = Required(m.Concept, mp + ".concept");
                    Concept? concept = null;
                    if (id.Length > 0 && !catalog.TryGet(id, out concept)) Error(mp + ".concept", $"unknown concept '{id}'");
                    if (concept is not null && total is not null && concept.PeriodType != total.PeriodType)
                        Error(mp + ".concept", $"{id} and the total {totalId} are not measured over the same kind of period");
                    if (concept is not null && !Additive(concept.DataType))
                        Error(mp + ".concept", $"{id} is a {Kind(concept.DataType)}; calculations add amounts, counts or numbers of shares");
                    else if (concept is not null && total is not null && Additive(total.DataType) && concept.DataType != total.DataType)
                        Error(mp + ".concept", $"{id} is a {Kind(concept.DataType)} and the total {totalId} a {Kind(total.DataType)}; a calculation adds like with like");
                    var weight = m.Weight ?? 1;
                    if (weight is not (1 or -1)) Error(mp + ".weight", "must be 1 or -1");
                    var memberDims = m.Dims is null ? dims : Dimensions(m.Dims, mp + ".dims");
                    if (id == totalId && memberDims == dims) Error(mp + ".concept", "a member cannot be the total itself");
                    members.Add(new CalculationMember(id, weight, memberDims));
                }
                var periods = new List<string>();
                for (var i = 0; i < (c.Periods?.Count ?? 0); i++)
                {
                    var text = c.Periods![i];
                    if (string.IsNullOrWhiteSpace(text) || !_calendar.TryResolve(text, out var period))
                        Error($"{path}.periods[{i}]", $"'{text}' is not a period ({Period.Forms})");
                    else if (total is not null && period.Type != total.PeriodType)
                        Error($"{path}.periods[{i}]", $"'{text}' is not the kind of period {totalId} is measured over");
                    else periods.Add(period.Id);
                }
                relations.Add(new CalculationRelation(totalId, dims, c.Scope, members, c.Location ?? new Location(), periods));
            }
            if (relations.Count > 0 && Errors.Count == 0)
                _events.Add(new PlannedEvent(StreamKeys.Entity(_entity), new CalculationRelationsDeclared(_entity, _document, relations, recording)));
        }

        private string Dimensions(IReadOnlyDictionary<string, string>? dims, string path)
        {
            foreach (var (k, v) in dims ?? new Dictionary<string, string>())
                if (string.IsNullOrWhiteSpace(k) || string.IsNullOrWhiteSpace(v) || k.Contains('|') || v.Contains('|') || k.Contains(';') || v.Contains(';') || k.Contains('=') || v.Contains('='))
                    Error($"{path}.{k}", "dimension names and members must be non-empty and free of '|', ';' and '='");
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
                else period = Period.OpeningBalance(period.Start);
            }
            if (concept is { External: false } && period is not null && concept.PeriodType != period.Type)
                Error(path + ".period", $"'{text}' is {(period.Type == PeriodType.Instant ? "an instant" : "a duration")} but {concept.Id} is measured over {(concept.PeriodType == PeriodType.Instant ? "an instant (a balance-sheet date)" : "a duration (FY, H or Q)")}");
            var s = scope ?? Scopes.Consolidated;
            if (!Scopes.IsKnown(s)) Error(path + ".scope", $"'{s}' is not consolidated or parent");
            foreach (var (k, v) in dims ?? new Dictionary<string, string>())
                if (string.IsNullOrWhiteSpace(k) || string.IsNullOrWhiteSpace(v) || k.Contains('|') || v.Contains('|') || k.Contains(';') || v.Contains(';') || k.Contains('=') || v.Contains('='))
                    Error($"{path}.dims.{k}", "dimension names and members must be non-empty and free of '|', ';' and '='");
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

        private Statement? Value(IPackageValue v, string? defaultScale, string unit, string path)
        {
            var scale = v.Scale ?? defaultScale;
            if (v.Decimals is < -20 or > 20) { Error(path + ".decimals", "must be between -20 and 20"); return null; }
            Amount amount;
            if (v.Printed is not null)
            {
                if (v.Value is not null) { Error(path + ".value", "give either 'printed' or 'value', not both"); return null; }
                if (v.Exact == true) { Error(path + ".exact", "goes with 'value'; a printed value's precision is what it prints"); return null; }
                if (!PrintedNumber.TryParse(v.Printed, scale, out var parsed, out var error)) { Error(path + ".printed", error); return null; }
                if (parsed.CurrencyHint is { } hint && unit.Length > 0 && !unit.StartsWith(hint, StringComparison.Ordinal))
                { Error(path + ".printed", $"'{v.Printed}' is printed in {hint} but the unit is {unit}"); return null; }
                if (v.Decimals is not null && parsed.Value is not null && v.Decimals > parsed.Decimals)
                { Error(path + ".decimals", $"the printed value is precise to {parsed.Decimals} decimals, not {v.Decimals}"); return null; }
                amount = parsed.ToAmount(unit) with { Decimals = parsed.Value is null ? null : v.Decimals ?? parsed.Decimals };
            }
            else if (v.Value is { } element)
            {
                if (v.Exact == true && v.Decimals is not null) { Error(path + ".exact", "give either 'decimals' or 'exact', not both"); return null; }
                if (v.Decimals is null && v.Exact != true) { Error(path + ".decimals", "is required with 'value' (use 'printed' to have it derived, or 'exact': true for an exact value)"); return null; }
                var text = element.ValueKind switch
                {
                    JsonValueKind.String => element.GetString(),
                    JsonValueKind.Number => element.GetRawText(),
                    _ => null,
                };
                if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var exact))
                { Error(path + ".value", $"'{text ?? element.GetRawText()}' is not a decimal number in base units"); return null; }
                amount = Amount.Of(exact, unit, v.Decimals);
            }
            else { Error(path + ".printed", "a value is required: 'printed' (with 'scale') or 'value' (with 'decimals')"); return null; }

            switch (v.Sign)
            {
                case null or "as-printed": break;
                // The document prints a magnitude and says in words that it is a loss or a decrease.
                case "negative" when amount.Value is > 0: amount = amount with { Value = -amount.Value }; break;
                case "negative": break;
                default: Error(path + ".sign", "must be 'negative' or 'as-printed'"); return null;
            }
            if (v.Negated == true)
            {
                if (v.Sign is "negative") { Error(path + ".negated", "give either 'sign' or 'negated', not both"); return null; }
                if (amount.Value is { } n) amount = amount with { Value = -n };
            }
            return new Statement(amount, v.Printed, scale);
        }

        /// <summary>The items of a list with their JSON paths; a null item is an error, not a crash.</summary>
        private IEnumerable<(T Item, string Path)> Each<T>(IReadOnlyList<T?>? list, string path) where T : class
        {
            // Enumerated, not indexed: a package's facts may be read from its bytes one by one (PackageItems).
            var i = 0;
            foreach (var element in list ?? [])
            {
                if (element is { } item) yield return (item, $"{path}[{i}]");
                else Error($"{path}[{i}]", "must be an object, not null");
                i++;
            }
        }

        private string Required(string? value, string path)
        {
            if (!string.IsNullOrWhiteSpace(value)) return value.Trim();
            Error(path, "is required");
            return "";
        }

        private DateOnly? Date(string? text, string path, bool required)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                if (required) Error(path, "is required (yyyy-MM-dd)");
                return null;
            }
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            Error(path, $"'{text}' is not a date (yyyy-MM-dd)");
            return null;
        }
    }
}
