using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections;
using Marten;
using Wolverine.Http;

namespace Ledger.Api.Http;

public static class CheckEndpoints
{
    /// <summary>Every failing or indeterminate consistency check, for one entity or the whole ledger.</summary>
    [WolverineGet("/api/checks")]
    public static async Task<IResult> Get(string? entity, IDocumentStore store, ConceptCatalog catalog, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var profiles = entity is null
            ? await session.Query<EntityProfile>().ToListAsync(ct)
            : await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct) is { } p ? [p] : [];
        if (entity is not null && profiles.Count == 0) return Problems.UnknownEntity(entity);

        var findings = new List<Finding>();
        foreach (var profile in profiles.OrderBy(p => p.Entity, StringComparer.Ordinal))
        {
            var figures = await session.Query<FigureHistory>().Where(f => f.Entity == profile.Entity).ToListAsync(ct);
            var reconciliations = await session.Query<NonGaapReconciliationView>().Where(r => r.Entity == profile.Entity).ToListAsync(ct);
            findings.AddRange(ConsistencyChecks.For(profile.Entity, figures, reconciliations, profile, catalog));
        }
        return Results.Json(new
        {
            entity,
            count = findings.Count,
            findings = findings.Select(f => new
            {
                f.Entity, f.Kind, f.Subject, verdict = Verdicts.Kebab(f.Verdict), f.Detail,
                gap = f.Gap is { } g ? Amount.Format(g) : null, f.Figures, f.Documents,
            }),
        }, Problems.Json);
    }
}
