using Ledger.Api.Http;
using Ledger.Api.PolicyChanges;
using Ledger.Api.Security;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections.Checks;
using Ledger.Projections.Entities;
using Ledger.Projections.Figures;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Checks;

/// <summary>A page of the failing or indeterminate checks; <c>count</c> is over every page.</summary>
public sealed record ChecksResponse(string? Entity, int Count, string? NextCursor, IReadOnlyList<FindingView> Findings);

public sealed record FindingView(string Entity, string Kind, string Subject, string Verdict, string Detail, string? Gap,
    IReadOnlyList<string> Figures, IReadOnlyList<string> Documents)
{
    public static FindingView Of(Finding f) => new(f.Entity, f.Kind, f.Subject, Verdicts.Kebab(f.Verdict), f.Detail,
        f.Gap is { } g ? Amount.Format(g) : null, f.Figures, f.Documents);
}

/// <summary>Every failing or indeterminate consistency check, for one entity or the whole ledger.</summary>
public static class CheckEndpoints
{
    public static IResult Validate(int? limit, string? cursor) => Paging.Validate(limit, cursor);

    /// <summary>The entities the checks cover: the one named (404 when unknown), else all.</summary>
    public static async Task<(IReadOnlyList<EntityProfile>? Profiles, IResult Problem)> LoadAsync(string? entity, IQuerySession session, CancellationToken ct)
    {
        if (entity is null) return (await session.Query<EntityProfile>().ToListAsync(ct), WolverineContinue.Result());
        return await KnownEntity.LoadAsync(entity, session, ct) is ({ } profile, var ok) ? ([profile], ok) : (null, Problems.UnknownEntity(entity));
    }

    [WolverineGet("/api/checks")]
    [ExpensiveRead]
    [Authorize(Policy = Policies.Read)]
    public static async Task<ChecksResponse> Get(string? entity, int? limit, string? cursor, IReadOnlyList<EntityProfile> profiles,
        IQuerySession session, ConceptCatalog catalog, HttpContext http, CancellationToken ct)
    {
        var (take, after) = Paging.Read(limit, cursor);
        var findings = new List<Finding>();
        foreach (var profile in profiles.OrderBy(p => p.Entity, StringComparer.Ordinal))
        {
            findings.AddRange(await EntityFindings.ForAsync(session, profile, await FigureReads.OfEntityAsync(session, profile.Entity, null, ct), catalog, ct));
        }
        // Two findings may share entity, kind, subject and figures; their position among those makes the key unique.
        var keyed = findings.GroupBy(f => Paging.Key(f.Entity, f.Kind, f.Subject, string.Join(',', f.Figures)))
            .SelectMany(g => g.Select((f, i) => (Key: Paging.Key(g.Key, i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)), Finding: f)));
        var page = Paging.Of(keyed, k => k.Key, take, after);
        Paging.LinkNext(http, page.NextCursor);
        return new ChecksResponse(entity, findings.Count, page.NextCursor, page.Items.Select(k => FindingView.Of(k.Finding)).ToList());
    }
}
