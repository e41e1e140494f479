using System.Globalization;
using Ledger.Domain.Concepts;
using Ledger.Domain.Documents;
using Ledger.Domain.Events;
using Ledger.Domain.Imports;
using Ledger.Domain.Values;

namespace Ledger.Domain.Ingestion;

/// <summary>
/// One reading of a package (<see cref="PackageReader"/>): its events in the order they are written, its errors collected
/// by JSON path. Its parts, one file each: what the package says of its context (entities, cited documents, translations,
/// policy changes), its figures (facts, restatements, their keys and units), the values they state, and the relations
/// between figures (non-GAAP reconciliations, calculations).
/// </summary>
internal sealed partial class PackageWalk(ConceptCatalog catalog, LedgerContext ledger, Recording recording)
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
        if (_entity.Length > 0 && !PackageReader.IsEntityId(_entity)) Error("$.document.entity", PackageReader.EntityIdRule);
        if (documentId.Length > 0 && _entity.Length > 0 && !documentId.StartsWith(_entity + "/", StringComparison.Ordinal))
            Error("$.document.id", $"must be '{{entity}}/{{slug}}' with the entity '{_entity}'");
        else if (documentId.Length > 0 && !PackageReader.IsDocumentId(documentId)) Error("$.document.id", PackageReader.DocumentIdRule);
        var kind = Required(d.Kind, "$.document.kind");
        if (kind.Length > 0 && !PackageReader.Kinds.Contains(kind) && !Filings.IsFiling(kind))
            Error("$.document.kind", $"'{kind}' is not one of: {string.Join(", ", PackageReader.Kinds)}, or an SEC form ({string.Join(", ", Filings.Forms)}, …)");
        var amends = d.Amends?.Trim();
        if (amends is not null && !PackageReader.IsDocumentId(amends)) Error("$.document.amends", PackageReader.DocumentIdRule);
        else if (amends is not null && (!Filings.IsAmendment(kind) || !amends.StartsWith(_entity + "/", StringComparison.Ordinal) || amends == documentId))
            Error("$.document.amends", $"only an amendment (an SEC form ending /A: 10-K/A, 20-F/A, …) names the filing it amends, another document of '{_entity}'");
        var title = Required(d.Title, "$.document.title");
        var language = Required(d.Language, "$.document.language");
        if (language.Length > 0 && !PackageReader.Languages.Contains(language)) Error("$.document.language", $"'{language}' is not one of: zh-Hans, zh-Hant, en");
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
        if (facts.Count + restatements.Count > PackageReader.MaxFacts)
            Error("$.facts", $"a package holds at most {PackageReader.MaxFacts} facts and restatements; split the document");

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
