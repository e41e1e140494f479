using System.Globalization;
using Ledger.Domain.Concepts;
using Ledger.Domain.Documents;
using Ledger.Domain.Entities;
using Ledger.Domain.Events;
using Ledger.Domain.PolicyChanges;
using Ledger.Domain.Values;

namespace Ledger.Domain.Ingestion;

// What a package says of its context: the entities it defines, the documents it cites, its convenience translations and
// the policy changes it adopts.
internal sealed partial class PackageWalk
{
    private bool ReadEntities(IReadOnlyList<PackageEntity>? entities)
    {
        var definesOwn = false;
        foreach (var (e, path) in Each(entities, "$.entities"))
        {
            var id = Required(e.Id, path + ".id");
            if (id.Length > 0 && !PackageReader.IsEntityId(id)) Error(path + ".id", PackageReader.EntityIdRule);
            var standard = Required(e.Standard, path + ".standard");
            if (standard.Length > 0 && !PackageReader.Standards.Contains(standard)) Error(path + ".standard", $"'{standard}' is not one of: {string.Join(", ", PackageReader.Standards)}");
            var currency = Required(e.Currency, path + ".currency");
            if (currency.Length > 0 && !Units.IsCurrency(currency)) Error(path + ".currency", $"'{currency}' is not an ISO 4217 currency (CNY, USD, HKD, …)");
            if (e.Names is null || e.Names.Count == 0) Error(path + ".names", "at least one name is required");
            else
                foreach (var (lang, name) in e.Names)
                    if (!PackageReader.Languages.Contains(lang)) Error($"{path}.names.{lang}", "language must be zh-Hans, zh-Hant or en");
                    else if (string.IsNullOrWhiteSpace(name)) Error($"{path}.names.{lang}", "a name is required in each language given");
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
            // Kept even when refused, so that the values citing it are not refused a second time for it.
            if (id.Length > 0 && !PackageReader.IsDocumentId(id)) Error(path + ".id", PackageReader.DocumentIdRule);
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
            if (id.Length > 0 && !PackageReader.IsPolicyChangeId(id)) Error(path + ".id", PackageReader.PolicyChangeIdRule);
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
}
