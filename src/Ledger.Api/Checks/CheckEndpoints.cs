using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;
using Marten;
using Ledger.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Ledger.Api.Http;
using Ledger.Api.PolicyChanges;
using Ledger.Projections.Checks;
using Ledger.Projections.Entities;
using Ledger.Projections.NonGaap;

namespace Ledger.Api.Checks;

public static class CheckEndpoints
{
    /// <summary>Every failing or indeterminate consistency check, for one entity or the whole ledger.</summary>
    [WolverineGet("/api/checks")]
    [ExpensiveRead]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IResult> Get(string? entity, int? limit, string? cursor, IDocumentStore store, ConceptCatalog catalog, HttpContext http, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, Paging.DefaultPage, out var take, out var after, out var problem)) return problem!;
        await using var session = store.QuerySession();
        var profiles = entity is null
            ? await session.Query<EntityProfile>().ToListAsync(ct)
            : await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct) is { } p ? [p] : [];
        if (entity is not null && profiles.Count == 0) return Problems.UnknownEntity(entity);

        var findings = new List<Finding>();
        foreach (var profile in profiles.OrderBy(p => p.Entity, StringComparer.Ordinal))
        {
            var figures = await FigureReads.OfEntityAsync(session, profile.Entity, null, ct);
            var reconciliations = await session.Query<NonGaapReconciliationView>().Where(r => r.Entity == profile.Entity).ToListAsync(ct);
            findings.AddRange(ConsistencyChecks.For(profile.Entity, figures, reconciliations, profile, catalog));
        }
        // Two findings may share entity, kind, subject and figures; their position among those makes the key unique.
        var keyed = findings.GroupBy(f => Paging.Key(f.Entity, f.Kind, f.Subject, string.Join(',', f.Figures)))
            .SelectMany(g => g.Select((f, i) => (Key: Paging.Key(g.Key, i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)), Finding: f)));
        var page = Paging.Of(keyed, k => k.Key, take, after);
        Paging.LinkNext(http, page.NextCursor);
        return Results.Json(new
        {
            entity,
            count = findings.Count,
            nextCursor = page.NextCursor,
            findings = page.Items.Select(k => k.Finding).Select(f => new
            {
                f.Entity, f.Kind, f.Subject, verdict = Verdicts.Kebab(f.Verdict), f.Detail,
                gap = f.Gap is { } g ? Amount.Format(g) : null, f.Figures, f.Documents,
            }),
        }, Problems.Json);
    }
}
