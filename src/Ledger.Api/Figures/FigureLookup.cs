using Ledger.Api.Http;
using Ledger.Domain.Concepts;
using Ledger.Domain.Values;
using Ledger.Projections.Entities;
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
    public static IResult Validate(string concept, string period, string? dims, string? asOf, ConceptCatalog catalog)
    {
        if (!AsOf.TryParse(asOf, out _)) return Problems.BadAsOf(asOf);
        if (!PeriodInput.IsValid(period)) return Problems.BadPeriod(period);
        if (!catalog.TryGet(concept, out _)) return Problems.NotFound($"Concept '{concept}' is not in the catalog.");
        try { FigureKey.ParseDimensions(dims); }
        catch (FormatException e) { return Problems.BadRequest("dims", e.Message); }
        return WolverineContinue.Result();
    }

    /// <summary>The figure's history: a 404 for an unknown entity, or for a figure no document reports.</summary>
    public static async Task<(FigureHistory? History, IResult Problem)> LoadAsync(string entity, string concept, string period, string? scope, string? dims,
        bool? opening, IQuerySession session, CancellationToken ct)
    {
        if (await KnownEntity.LoadAsync(entity, session, ct) is not (EntityProfile profile, _)) return (null, Problems.UnknownEntity(entity));
        var p = PeriodInput.Resolve(profile, period);
        // "As at 1 January 2022" is stored as the instant 2021-12-31; the response's period says which was used.
        if (opening == true && p.Type == PeriodType.Instant) p = Period.OpeningBalance(p.Start);
        var key = new FigureKey(entity, concept, p.Id, scope ?? Scopes.Consolidated, FigureKey.ParseDimensions(dims)).ToString();
        return await FigureReads.LoadAsync(session, key, ct) is { } history
            ? (history, WolverineContinue.Result())
            : (null, Problems.NotFound($"No document in the ledger reports {key}."));
    }
}
