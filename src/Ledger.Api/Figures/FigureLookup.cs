using Ledger.Api.Entities;
using Ledger.Api.Http;
using Ledger.Domain.Concepts;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;
using Marten;
using Wolverine.Http;

namespace Ledger.Api.Figures;

/// <summary>
/// The figure a route names (<c>/api/entities/{entity}/figures/{concept}/{period}</c>, with <c>scope</c>, <c>dims</c> and
/// <c>opening</c>): the input checks and the load that the figure and its history share.
/// </summary>
public static class FigureLookup
{
    /// <summary>Bad input first (400, or 404 for a concept the catalog lacks), before anything is read.</summary>
    public static IResult Validate(string concept, string period, string? scope, string? dims, string? asOf, ConceptCatalog catalog)
    {
        if (!AsOf.TryParse(asOf, out _)) return Problems.BadAsOf(asOf);
        if (!PeriodInput.IsValid(period)) return Problems.BadPeriod(period);
        if (!catalog.TryGet(concept, out _)) return Problems.NotFound($"Concept '{concept}' is not in the catalog.");
        // The scope goes into the figure's key: anything else would read another figure, or none, instead of a 400.
        if (!string.IsNullOrEmpty(scope) && !Scopes.IsKnown(scope)) return Problems.BadRequest("scope", $"'{scope}' is not consolidated or parent");
        IReadOnlyDictionary<string, string> parsed;
        try { parsed = FigureKey.ParseDimensions(dims); }
        catch (FormatException e) { return Problems.BadRequest("dims", e.Message); }
        // Each name once (a second would silently replace the first: the key's parsing takes the last), each part as a key
        // can hold it.
        if (parsed.Count != (dims?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length ?? 0))
            return Problems.BadRequest("dims", "each dimension name may be given once");
        if (parsed.Any(d => !FigureKey.IsDimensionPart(d.Key) || !FigureKey.IsDimensionPart(d.Value)))
            return Problems.BadRequest("dims", FigureKey.DimensionPartRule);
        return WolverineContinue.Result();
    }

    /// <summary>The figure's history: a 404 for an unknown entity, or for a figure no document reports. One round trip with the entity's profile.</summary>
    public static async Task<(FigureHistory? History, IResult Problem)> LoadAsync(string entity, string concept, string period, string? scope, string? dims,
        bool? opening, IQuerySession session, EntityCalendars calendars, CancellationToken ct)
    {
        var dimensions = FigureKey.ParseDimensions(dims);
        string KeyOf(Period p) =>
            // "As at 1 January 2022" is stored as the instant 2021-12-31; the response's period says which was used.
            new FigureKey(entity, concept, (opening == true && p.Type == PeriodType.Instant ? Period.OpeningBalance(p.Start) : p).Id,
                string.IsNullOrEmpty(scope) ? Scopes.Consolidated : scope, dimensions).ToString();
        var read = await EntityPeriodReads.LoadAsync(session, calendars, entity, period, p => new FigureHistoryRead(KeyOf(p)), ct);
        if (read is null) return (null, Problems.UnknownEntity(entity));
        return read.Read is { } history
            ? (history, WolverineContinue.Result())
            : (null, Problems.NotFound($"No document in the ledger reports {KeyOf(read.Period)}."));
    }
}
