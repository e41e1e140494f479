using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Projections.Entities;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Entities;

/// <summary>A reporting company; <paramref name="FiscalYearEnd"/> only where its year does not end on 31 December.</summary>
public sealed record EntityView(string Id, IReadOnlyDictionary<string, string> Names, string Standard, string Currency, IReadOnlyList<AdoptedPolicyChangeView> PolicyChanges,
    string? FiscalYearEnd = null)
{
    public static EntityView Of(EntityProfile p) => new(p.Entity, p.Names, p.Standard, p.Currency,
        p.PolicyChanges.Select(c => new AdoptedPolicyChangeView(c.PolicyChange, c.Title, c.EffectiveFrom, c.Document.Id)).ToList(), p.FiscalYearEnd);
}

public sealed record AdoptedPolicyChangeView(string Id, string Title, DateOnly EffectiveFrom, string Document);

/// <summary>The reporting companies in the ledger and the accounting policy changes they adopted.</summary>
public static class EntityListEndpoint
{
    public static IResult Validate(int? limit, string? cursor) => Paging.Validate(limit, cursor);

    [EndpointSummary("The reporting companies in the ledger and the accounting policy changes they adopted.")]
    [ResponseExample("""[{"id":"688083.SH","names":{"zh-Hans":"中望软件","en":"ZWSOFT"},"standard":"CAS","currency":"CNY","policyChanges":[{"id":"CAS-INTERP-16","title":"企业会计准则解释第16号","effectiveFrom":"2023-01-01","document":"688083.SH/AR2023"}]}]""")]
    [ProblemAnswers(400)]
    [WolverineGet("/api/entities")]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IReadOnlyList<EntityView>> Get(int? limit, string? cursor, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var (take, after) = Paging.Read(limit, cursor);
        // The list stays a JSON array (its first clients read it so); the next page is in the Link header.
        var page = Paging.Of(await session.Query<EntityProfile>().ToListAsync(ct), p => p.Entity, take, after);
        Paging.LinkNext(http, page.NextCursor);
        return page.Items.Select(EntityView.Of).ToList();
    }
}
