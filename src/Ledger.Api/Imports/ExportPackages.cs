using System.Text.Json;
using Ledger.Api.Exports;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;

namespace Ledger.Api.Imports;

/// <summary>
/// The documents of a ledger's as-reported export (<see cref="ReportContents"/>) as packages: one per recorded document,
/// holding the facts whose <c>ledger:ReportedIn</c> names it, its restatements (<c>ledger:restatement</c>), the policy
/// changes it adopts, and, as <c>previouslyReportedIn</c> facts, the values of other documents it cites
/// (<c>ledger:citedBy</c>). A document known only by citation gets no package: it is known again only through the
/// documents that cite it, at their dates.
/// </summary>
public static class ExportPackages
{
    private sealed record Recorded(string Id, string? Kind, string? Title, string? Language, string? PublishedOn, string? Source, string? Amends,
        IReadOnlyList<PackageConvenienceTranslation>? Translations, IReadOnlyList<PackagePolicyChange>? PolicyChanges);

    public static List<(DisclosurePackage Package, List<XbrlFact> Facts)> Of(string entity, JsonElement documents, IReadOnlyList<XbrlFact> facts,
        PackageEntity? definition, List<PackageError> errors)
    {
        const string path = $"$.documentInfo.{ReportContents.DocumentsProperty}";
        if (documents.ValueKind != JsonValueKind.Object) { errors.Add(new(path, "must be an object of documents by id")); return []; }
        var recorded = new Dictionary<string, Recorded>(StringComparer.Ordinal);
        var citedOnly = new HashSet<string>(StringComparer.Ordinal);
        // Refused ids, named once: the facts that name them are passed over rather than refused again for it.
        var refused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in documents.EnumerateObject())
        {
            if (d.Value.ValueKind != JsonValueKind.Object) { errors.Add(new($"{path}.{d.Name}", "must be an object (kind, title, language, publishedOn)")); continue; }
            // The id as given is the key its facts and citations use: one the reader would trim or refuse would not be matched.
            if (!PackageReader.IsDocumentId(d.Name)) { errors.Add(new($"{path}.{d.Name}", PackageReader.DocumentIdRule)); refused.Add(d.Name); continue; }
            if (d.Value.TryGetProperty(ReportContents.CitedOnly, out var c) && c.ValueKind == JsonValueKind.True) { citedOnly.Add(d.Name); continue; }
            string? Text(string name) => XbrlFactReader.Text(d.Value, name);
            var translations = d.Value.TryGetProperty("convenienceTranslations", out var t) ? Translations(t, $"{path}.{d.Name}.convenienceTranslations", errors) : null;
            var policyChanges = d.Value.TryGetProperty("policyChanges", out var pc) ? PolicyChanges(pc, $"{path}.{d.Name}.policyChanges", errors) : null;
            recorded[d.Name] = new Recorded(d.Name, Text("kind"), Text("title"), Text("language"), Text("publishedOn"), Text("source"), Text("amends"), translations, policyChanges);
        }

        var owned = recorded.Keys.ToDictionary(id => id, _ => new List<XbrlFact>(), StringComparer.Ordinal);
        var restated = recorded.Keys.ToDictionary(id => id, _ => new List<PackageRestatement>(), StringComparer.Ordinal);
        // A restatement records the earlier document's value too (cited by the restating one): that value's own fact is not imported again.
        var restatedFrom = facts.Where(f => f.Restatement is not null && f.ReportedIn is not null)
            .Select(f => (Citing: f.ReportedIn!, Cited: f.Restatement!.PreviouslyReportedIn, Figure: FigureOf(f.Fact))).ToHashSet();
        // Per citing document, the documents it cites and the date the citation gave each (null: none).
        var citations = recorded.Keys.ToDictionary(id => id, _ => new Dictionary<string, string?>(StringComparer.Ordinal), StringComparer.Ordinal);
        // A recorded document cited without a date was cited before the ledger held it: the citing one is recorded first again.
        var first = new HashSet<(string Citing, string Cited)>();
        void Cite(string citing, string cited, string? publishedOn)
        {
            var cites = citations[citing];
            cites[cited] = cites.GetValueOrDefault(cited) ?? publishedOn;
            if (recorded.ContainsKey(cited) && publishedOn is null) first.Add((citing, cited));
        }
        foreach (var f in facts)
        {
            var factPath = XbrlPaths.Fact(f.Id);
            if (f.ReportedIn is not { } document)
            {
                errors.Add(new($"{factPath}.dimensions.{XbrlJson.ReportedIn}", $"{f.Element}: is required in a ledger export: the document whose value it is"));
                continue;
            }
            if (refused.Contains(document)) continue;
            if (!recorded.ContainsKey(document) && !citedOnly.Contains(document))
            {
                errors.Add(new($"{factPath}.dimensions.{XbrlJson.ReportedIn}", $"{f.Element}: document '{document}' is not in {path}"));
                continue;
            }
            if (f.CitedBy is null)
            {
                if (citedOnly.Contains(document)) errors.Add(new($"{factPath}.{XbrlJson.CitedByProperty}", $"{f.Element}: is required: '{document}' is known only by citation, so the fact names the document that cites it"));
                else if (f.Restatement is not { } r) owned[document].Add(f);
                else
                {
                    if (!recorded.ContainsKey(r.PreviouslyReportedIn) && !citedOnly.Contains(r.PreviouslyReportedIn))
                    {
                        errors.Add(new($"{factPath}.{XbrlJson.RestatementProperty}.previouslyReportedIn", $"{f.Element}: document '{r.PreviouslyReportedIn}' is not in {path}"));
                        continue;
                    }
                    // Where the document also states the figure plainly (the value shown), both statements are its own again.
                    if (r.After is not null) owned[document].Add(f);
                    var x = f.Fact;
                    restated[document].Add(new PackageRestatement(x.Concept, x.Period, null, x.Scope, x.Dims, x.Unit, null, r.Before, r.Adjustment,
                        r.After ?? new PackageRestatedValue(x.Printed, x.Value, x.Decimals, x.Scale, null, x.Negated, x.Location),
                        r.PreviouslyReportedIn, r.Reasons, null, r.Note));
                    Cite(document, r.PreviouslyReportedIn, r.PreviousPublishedOn);
                }
                continue;
            }
            if (!recorded.ContainsKey(f.CitedBy))
            {
                errors.Add(new($"{factPath}.{XbrlJson.CitedByProperty}", $"{f.Element}: '{f.CitedBy}' is not a recorded document of {path}"));
                continue;
            }
            if (!restatedFrom.Contains((f.CitedBy, document, FigureOf(f.Fact))))
                owned[f.CitedBy].Add(f with { Fact = f.Fact with { PreviouslyReportedIn = document } });
            Cite(f.CitedBy, document, f.CitedPublishedOn);
        }
        if (errors.Count > 0) return [];

        return Ordered(recorded.Values, first).Select(d =>
        {
            var package = new DisclosurePackage(
                new PackageDocument(d.Id, entity, d.Kind, d.Title, d.Language, d.PublishedOn, d.Source, d.Amends),
                null,
                definition is null ? null : [definition],
                citations[d.Id].Count == 0 ? null : citations[d.Id].Select(c => new PackageCitedDocument(c.Key, null, null, c.Value)).ToList(),
                d.Translations,
                d.PolicyChanges,
                owned[d.Id].Select(f => f.Fact).ToList(),
                restated[d.Id].Count == 0 ? null : restated[d.Id],
                null);
            return (package, owned[d.Id]);
        }).ToList();
    }

    private static string FigureOf(PackageFact f) =>
        $"{f.Concept}|{f.Period}|{f.Scope ?? Domain.Values.Scopes.Consolidated}|{Domain.Values.FigureKey.FormatDimensions(f.Dims)}";

    /// <summary>The convenience translations a document prints, as <see cref="ReportContents"/> writes them, or null with errors.</summary>
    private static IReadOnlyList<PackageConvenienceTranslation>? Translations(JsonElement list, string path, List<PackageError> errors)
    {
        if (list.ValueKind != JsonValueKind.Array) { errors.Add(new(path, "must be an array of convenience translations")); return null; }
        var translations = new List<PackageConvenienceTranslation>();
        var i = 0;
        foreach (var x in list.EnumerateArray())
        {
            // Text() reads an object's members: anything else would throw, not name the item.
            if (x.ValueKind != JsonValueKind.Object) errors.Add(new($"{path}[{i}]", "must be an object (from, to, rate)"));
            else translations.Add(new PackageConvenienceTranslation(XbrlFactReader.Text(x, "from"), XbrlFactReader.Text(x, "to"), XbrlFactReader.Text(x, "rate")));
            i++;
        }
        return translations;
    }

    /// <summary>The policy changes a document adopts, as <see cref="ReportContents"/> writes them, or null with errors.</summary>
    private static IReadOnlyList<PackagePolicyChange>? PolicyChanges(JsonElement list, string path, List<PackageError> errors)
    {
        if (list.ValueKind != JsonValueKind.Array) { errors.Add(new(path, "must be an array of policy changes")); return null; }
        var changes = new List<PackagePolicyChange>();
        var i = 0;
        foreach (var p in list.EnumerateArray())
        {
            var at = $"{path}[{i++}]";
            void Error(string field, string message) => errors.Add(new(at + field, message));
            if (p.ValueKind != JsonValueKind.Object) { Error("", "must be an object (id, title, effectiveFrom, transition, currentPeriodEffects)"); continue; }
            var effects = new List<PackageFact>();
            var j = 0;
            var listed = p.TryGetProperty("currentPeriodEffects", out var es) && es.ValueKind == JsonValueKind.Array ? es.EnumerateArray().ToList() : [];
            foreach (var e in listed)
            {
                var effectAt = $".currentPeriodEffects[{j++}]";
                void EffectError(string field, string message) => Error(effectAt + field, message);
                if (e.ValueKind != JsonValueKind.Object) { EffectError("", "must be an object (concept, period, unit, value)"); continue; }
                var unit = XbrlValues.Text(e, "unit", EffectError) ?? "";
                var dims = e.TryGetProperty("dims", out var ds) && ds.ValueKind == JsonValueKind.Object
                    ? ds.EnumerateObject().Where(x => x.Value.ValueKind == JsonValueKind.String).ToDictionary(x => x.Name, x => x.Value.GetString()!)
                    : null;
                effects.Add(XbrlValues.AsFact(XbrlValues.Read(e, "", EffectError), unit) with
                {
                    Concept = XbrlValues.Text(e, "concept", EffectError), Period = XbrlValues.Text(e, "period", EffectError),
                    Scope = XbrlValues.Text(e, "scope", EffectError), Dims = dims, Unit = unit, Location = XbrlValues.Location(e, "location", EffectError),
                });
            }
            changes.Add(new PackagePolicyChange(XbrlValues.Text(p, "id", Error), XbrlValues.Text(p, "title", Error), XbrlValues.Text(p, "effectiveFrom", Error),
                XbrlValues.Text(p, "transition", Error), XbrlValues.Location(p, "location", Error), effects));
        }
        return changes;
    }

    /// <summary>
    /// Publication order (which the views do not depend on), except that a document cited without a date comes after the
    /// documents citing it, so that their citations again find it unknown. Should the constraints ever form a cycle, the
    /// earliest document of it goes first.
    /// </summary>
    private static IEnumerable<Recorded> Ordered(IEnumerable<Recorded> documents, HashSet<(string Citing, string Cited)> first)
    {
        var byDate = documents.OrderBy(d => d.PublishedOn, StringComparer.Ordinal).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
        var rank = byDate.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var waitingOn = byDate.ToDictionary(d => d.Id, d => first.Count(e => e.Cited == d.Id && e.Citing != d.Id), StringComparer.Ordinal);
        var left = new SortedSet<int>(Enumerable.Range(0, byDate.Count));
        while (left.Count > 0)
        {
            var next = left.FirstOrDefault(i => waitingOn[byDate[i].Id] == 0, left.Min);
            left.Remove(next);
            var id = byDate[next].Id;
            foreach (var (_, cited) in first.Where(e => e.Citing == id && e.Cited != id && left.Contains(rank[e.Cited]))) waitingOn[cited]--;
            yield return byDate[next];
        }
    }
}
