using System.Globalization;
using System.Text.Json.Nodes;
using Ledger.Domain.Documents;
using Ledger.Domain.PolicyChanges;
using Ledger.Projections.Entities;

namespace Ledger.Api.Exports;

/// <summary>A recorded document of an export, as its <c>DocumentRecorded</c> event describes it.</summary>
public sealed record ExportedDocument(string Id, string Kind, string Title, string Language, DateOnly PublishedOn, string? Source, string? Amends,
    IReadOnlyList<ConvenienceTranslation> ConvenienceTranslations)
{
    public static ExportedDocument Of(DocumentRecorded r) =>
        new(r.DocumentId, r.Kind, r.Title, r.Language, r.PublishedOn, r.Source, r.Amends, r.ConvenienceTranslations);
}

/// <summary>
/// What an as-reported export says besides its facts, so that an import into another ledger records the same entity and
/// documents (<c>POST /api/imports/xbrl-json</c>): the entity's definition under <c>documentInfo["ledger:entity"]</c> and
/// every document under <c>documentInfo["ledger:documents"]</c>, keyed by id. A document the ledger knows only because
/// another one cites it (a 调整前 column) has no package of its own: it is listed with <c>"citedOnly": true</c> and
/// nothing else (its kind and title are not recorded), and each of its facts names the citing document
/// (<c>ledger:citedBy</c>), through which the import records it again.
/// </summary>
/// <para>An export as of a date lists the documents published by then, and any later one its facts name (a citation the
/// as-of view counts from the end of the period, whatever the citing document's date).</para>
public sealed record ReportContents(EntityProfile Entity, IReadOnlyList<ExportedDocument> Documents, DateOnly? AsOf = null)
{
    public const string EntityProperty = "ledger:entity";
    public const string DocumentsProperty = "ledger:documents";
    public const string CitedOnly = "citedOnly";

    public JsonObject EntityJson()
    {
        var names = new JsonObject();
        foreach (var (language, name) in Entity.Names.OrderBy(n => n.Key, StringComparer.Ordinal)) names[language] = name;
        var json = new JsonObject
        {
            ["id"] = Entity.Entity, ["names"] = names, ["standard"] = Entity.Standard, ["currency"] = Entity.Currency,
        };
        if (Entity.FiscalYearEnd is not null) json["fiscalYearEnd"] = Entity.FiscalYearEnd;
        return json;
    }

    /// <summary>
    /// An accounting policy change as the adopting document's package states it, so that the restatements it causes can
    /// name it again: its effects for the adoption period are facts (<c>concept</c>, <c>period</c>, <c>scope</c>,
    /// <c>dims</c>, <c>unit</c> and the statement's fields).
    /// </summary>
    private static JsonObject PolicyChangeJson(AccountingPolicyChangeAdopted p)
    {
        var json = new JsonObject
        {
            ["id"] = p.PolicyChange, ["title"] = p.Title, ["effectiveFrom"] = StatementJson.Day(p.EffectiveFrom), ["transition"] = p.Transition,
        };
        if (StatementJson.LocationOf(p.Location) is { } location) json["location"] = location;
        json["currentPeriodEffects"] = new JsonArray(p.CurrentPeriodEffects.Select(e =>
        {
            var key = Domain.Values.FigureKey.Parse(e.Figure);
            var effect = new JsonObject { ["concept"] = key.Concept, ["period"] = key.Period };
            if (key.Scope != Domain.Values.Scopes.Consolidated) effect["scope"] = key.Scope;
            if (key.Dimensions.Count > 0) effect["dims"] = new JsonObject(key.Dimensions.Select(x => KeyValuePair.Create(x.Key, (JsonNode?)x.Value)));
            effect["unit"] = e.Value.Value.Unit;
            foreach (var (name, value) in StatementJson.Of(e.Value, e.Location).ToList())
                effect[name] = value?.DeepClone();
            return (JsonNode)effect;
        }).ToArray());
        return json;
    }

    /// <summary>The recorded documents, then those the facts name (<paramref name="named"/>) that are known only by citation.</summary>
    public JsonObject DocumentsJson(IReadOnlySet<string> named)
    {
        var json = new JsonObject();
        foreach (var d in Documents.Where(d => AsOf is not { } asOf || d.PublishedOn <= asOf || named.Contains(d.Id))
                     .OrderBy(d => d.PublishedOn).ThenBy(d => d.Id, StringComparer.Ordinal))
        {
            var document = new JsonObject
            {
                ["kind"] = d.Kind, ["title"] = d.Title, ["language"] = d.Language,
                ["publishedOn"] = d.PublishedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            if (d.Source is not null) document["source"] = d.Source;
            if (d.Amends is not null) document["amends"] = d.Amends;
            var adopted = Entity.PolicyChanges.Where(p => p.Document.Id == d.Id).ToList();
            if (adopted.Count > 0) document["policyChanges"] = new JsonArray(adopted.Select(p => (JsonNode)PolicyChangeJson(p)).ToArray());
            if (d.ConvenienceTranslations.Count > 0)
                document["convenienceTranslations"] = new JsonArray(d.ConvenienceTranslations.Select(t => (JsonNode)new JsonObject
                {
                    ["from"] = t.From, ["to"] = t.To, ["rate"] = t.Rate.ToString(CultureInfo.InvariantCulture),
                }).ToArray());
            json[d.Id] = document;
        }
        foreach (var id in named.Where(id => !json.ContainsKey(id)).Order(StringComparer.Ordinal))
            json[id] = new JsonObject { [CitedOnly] = true };
        return json;
    }
}
