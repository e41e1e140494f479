using System.Text.Json;
using Ledger.Api.Exports;
using Ledger.Domain.Concepts;
using Ledger.Domain.Ingestion;
using Ledger.Domain.Values;
using Ledger.Projections.Entities;

namespace Ledger.Api.Imports;

/// <summary>
/// What a caller says of a report that the report does not say itself: query parameters of
/// <c>POST /api/imports/xbrl-json</c>, options of the import verb. A ledger export says all of it and needs none.
/// </summary>
public sealed record XbrlReportOptions(
    string? Entity = null, string? Document = null, string? PublishedOn = null, string? Kind = null, string? Title = null, string? Language = null,
    string? Name = null, string? Standard = null, string? Currency = null, string? FiscalYearEnd = null)
{
    public static XbrlReportOptions None { get; } = new();
}

/// <summary>A report read: its entity, the calendar its durations are keyed by, and its documents as packages in the order to record them.</summary>
public sealed record XbrlReport(string Entity, FiscalCalendar Calendar, IReadOnlyList<DisclosurePackage> Packages,
    IReadOnlyDictionary<string, IReadOnlyList<(string Id, string Element)>> FactIds, int LeftOut);

/// <summary>
/// Reads an OIM xBRL-JSON report (https://www.xbrl.org/Specification/xbrl-json/REC-2021-10-13/xbrl-json-REC-2021-10-13.html)
/// into disclosure packages. Two kinds of report:
/// <list type="bullet">
/// <item>A ledger's as-reported export (<c>documentInfo["ledger:documents"]</c>): the entity and every document as the
/// export defines them (<see cref="ReportContents"/>), each fact in the document its <c>ledger:ReportedIn</c> names; a value
/// known only by citation (<c>ledger:citedBy</c>) is recorded as the citing document's <c>previouslyReportedIn</c> fact,
/// so that its document is again known only by citation, at the citing document's date.</item>
/// <item>Any other report: one document. The entity is the <c>entity</c> dimension's identifier (an SEC CIK as
/// <c>CIK##########</c>) unless the caller names it; the document's id and publication date come from the caller or from
/// <c>documentInfo["ledger:document"]</c> (<c>id</c>, <c>kind</c>, <c>title</c>, <c>language</c>, <c>publishedOn</c>,
/// <c>source</c>), and are required; an entity the ledger does not hold is defined from the caller,
/// <c>documentInfo["ledger:entity"]</c>, or the report (<c>dei:EntityRegistrantName</c>, the taxonomy it uses, its most
/// frequent currency, <c>dei:CurrentFiscalYearEndDate</c>).</item>
/// </list>
/// Pure: what the ledger holds of the entity comes in as <paramref name="known"/>.
/// </summary>
public static class XbrlReportReader
{
    public const string DocumentProperty = "ledger:document";

    /// <summary>The entity the report is about, or the errors that say why it cannot be told (a report that is no xBRL-JSON among them).</summary>
    public static (string? Entity, IReadOnlyList<PackageError> Errors) EntityOf(JsonElement root, XbrlReportOptions options)
    {
        var errors = new List<PackageError>();
        if (Header(root, errors) is not var (info, facts)) return (null, errors);
        if (info.TryGetProperty(ReportContents.DocumentsProperty, out _))
        {
            var id = info.TryGetProperty(ReportContents.EntityProperty, out var e) && e.ValueKind == JsonValueKind.Object ? XbrlFactReader.Text(e, "id") : null;
            if (string.IsNullOrWhiteSpace(id)) errors.Add(new($"$.documentInfo.{ReportContents.EntityProperty}.id", "is required in a ledger export: the entity its documents are about"));
            else if (options.Entity is not null && options.Entity != id) errors.Add(new("entity", $"the report is a ledger export of '{id}'; its documents are that entity's"));
            return errors.Count > 0 ? (null, errors) : (id, errors);
        }
        if (options.Entity is not null) return Valid(options.Entity, "entity", errors);
        if (info.TryGetProperty(ReportContents.EntityProperty, out var defined) && defined.ValueKind == JsonValueKind.Object && XbrlFactReader.Text(defined, "id") is { } definedId)
            return Valid(definedId, $"$.documentInfo.{ReportContents.EntityProperty}.id", errors);
        var names = new XbrlNames(info);
        var entities = facts.EnumerateObject()
            .Select(f => f.Value.ValueKind == JsonValueKind.Object && f.Value.TryGetProperty("dimensions", out var d) && d.ValueKind == JsonValueKind.Object ? XbrlFactReader.Text(d, "entity") : null)
            .OfType<string>().Select(names.EntityId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (entities.Count == 1) return Valid(entities[0], "$.facts", errors);
        errors.Add(new(entities.Count == 0 ? "entity" : "$.facts",
            entities.Count == 0 ? "is required: no fact names its entity (dimension entity); name it (?entity=…, import verb --entity)"
                : $"the facts are about {entities.Count} entities ({string.Join(", ", entities.Take(5))}); import a report of one entity"));
        return (null, errors);
    }

    public static (XbrlReport? Report, IReadOnlyList<PackageError> Errors) Read(JsonElement root, XbrlReportOptions options, string entity,
        EntityProfile? known, ConceptCatalog catalog)
    {
        var errors = new List<PackageError>();
        if (Header(root, errors) is not var (info, facts)) return (null, errors);
        var ledgerExport = info.TryGetProperty(ReportContents.DocumentsProperty, out var documents);
        var names = new XbrlNames(info);
        var reader = new XbrlFactReader(names, catalog, ledgerExport, errors);
        var read = new List<XbrlFact>();
        var cover = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in facts.EnumerateObject())
        {
            // The cover page (dei:) of a filing says what the caller otherwise has to: the company's name, year end, the form.
            if (f.Value.ValueKind == JsonValueKind.Object && f.Value.TryGetProperty("dimensions", out var d) && d.ValueKind == JsonValueKind.Object
                && XbrlFactReader.Text(d, "concept") is { } c && c.StartsWith("dei:", StringComparison.Ordinal) && XbrlFactReader.Text(f.Value, "value") is { } v)
                cover.TryAdd(c, v);
            if (reader.Read(f.Name, f.Value) is { } fact) read.Add(fact);
        }
        if (errors.Count > 0) return (null, errors);
        if (read.Count == 0) return (null, [new("$.facts", "holds no numeric fact")]);

        var definition = EntityDefinition.Of(entity, info, options, cover, read, ledgerExport, known, errors);
        var calendar = known is not null ? known.Calendar()
            : FiscalCalendar.TryParse(definition?.FiscalYearEnd, out var defined) ? defined : FiscalCalendar.CalendarYear;
        var packages = ledgerExport
            ? ExportPackages.Of(entity, documents, read, known is null ? definition : null, errors)
            : [ReportPackage(entity, info, options, cover, read, known is null ? definition : null, errors)];
        if (errors.Count > 0) return (null, errors);
        var factIds = packages.ToDictionary(p => p.Package.Document!.Id!, p => (IReadOnlyList<(string, string)>)p.Facts.Select(f => (f.Id, f.Element)).ToList(), StringComparer.Ordinal);
        return (new XbrlReport(entity, calendar, packages.Select(p => p.Package).ToList(), factIds, reader.LeftOut), errors);
    }

    /// <summary>documentInfo and facts of an xBRL-JSON report, or null with the first thing wrong.</summary>
    private static (JsonElement Info, JsonElement Facts)? Header(JsonElement root, List<PackageError> errors)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("documentInfo", out var info) || info.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("$.documentInfo", "is required: an xBRL-JSON report is an object with documentInfo and facts"));
            return null;
        }
        if (XbrlFactReader.Text(info, "documentType") != XbrlJson.DocumentType)
        {
            errors.Add(new("$.documentInfo.documentType", $"must be {XbrlJson.DocumentType} (xBRL-JSON 1.0)"));
            return null;
        }
        // The current view's superseded values sit on the restatement axis, in no document: only as-reported values import as documents.
        if (XbrlFactReader.Text(info, "ledger:view") is { } view && view != "as-reported")
        {
            errors.Add(new("$.documentInfo.ledger:view", $"is '{view}': a ledger export imports from its as-reported view (export?view=as-reported), which names each value's document"));
            return null;
        }
        if (!root.TryGetProperty("facts", out var facts) || facts.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("$.facts", "is required: an object of facts by id"));
            return null;
        }
        return (info, facts);
    }

    private static (string?, IReadOnlyList<PackageError>) Valid(string entity, string path, List<PackageError> errors)
    {
        // The id is a part of every figure key (entity|concept|period|scope) and of every document id (entity/slug).
        if (!PackageReader.IsEntityId(entity))
        {
            errors.Add(new(path, $"'{entity}' is not an entity id the ledger can key figures by: {PackageReader.EntityIdRule}"));
            return (null, errors);
        }
        return (entity, errors);
    }

    /// <summary>The one document of a report that is not a ledger export.</summary>
    private static (DisclosurePackage Package, List<XbrlFact> Facts) ReportPackage(string entity, JsonElement info, XbrlReportOptions options,
        Dictionary<string, string> cover, List<XbrlFact> facts, PackageEntity? definition, List<PackageError> errors)
    {
        var described = info.TryGetProperty(DocumentProperty, out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        string? Described(string name) => described.ValueKind == JsonValueKind.Object ? XbrlFactReader.Text(described, name) : null;
        // Trimmed as the package reader trims it: the import asks the ledger for the document under this id.
        var id = (options.Document ?? Described("id"))?.Trim();
        if (string.IsNullOrWhiteSpace(id))
            errors.Add(new("document", $"is required: the report does not say which document it is; name it (?document=slug or {entity}/slug; import verb --document)"));
        else if (!id.Contains('/')) id = $"{entity}/{id}";
        var publishedOn = options.PublishedOn ?? Described("publishedOn");
        if (string.IsNullOrWhiteSpace(publishedOn))
            errors.Add(new("publishedOn", "is required: the report does not say when the document was published; give it (?publishedOn=yyyy-MM-dd; import verb --published-on)"));
        else if (!ReportOptionForms.IsDate(publishedOn))
            errors.Add(new(options.PublishedOn is not null ? "publishedOn" : $"$.documentInfo.{DocumentProperty}.publishedOn", ReportOptionForms.NotADate(publishedOn)));
        var kind = options.Kind ?? Described("kind") ?? (cover.TryGetValue("dei:DocumentType", out var form) && Domain.Imports.Filings.IsFiling(form) ? form : null);
        if (string.IsNullOrWhiteSpace(kind))
            errors.Add(new("kind", "is required: the report does not say what document it is; give it (?kind=annual-report, 10-K, …; import verb --kind)"));
        var title = options.Title ?? Described("title") ?? $"{kind} {id?[(id.IndexOf('/') + 1)..]} (xBRL-JSON)";
        var package = new DisclosurePackage(
            new PackageDocument(id, entity, kind, title, options.Language ?? Described("language") ?? "en", publishedOn, Described("source")),
            null, definition is null ? null : [definition], null, null, null, facts.Select(f => f.Fact).ToList(), null, null);
        return (package, facts);
    }
}
