using Ledger.Api.Entities;
using Ledger.Api.Http;
using Ledger.Api.PolicyChanges;
using Ledger.Api.Security;
using Ledger.Domain.Concepts;
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

/// <summary>
/// Every failing or indeterminate consistency check, for one entity or the whole ledger, a page at a time from the checks
/// read model (<see cref="CheckFindings"/>): an entity changed since its checks were last worked out is checked first.
/// </summary>
public static class CheckEndpoints
{
    public static IResult Validate(int? limit, string? cursor) => Paging.Validate(limit, cursor);

    /// <summary>The entity named must be in the ledger (404 otherwise); none named is the whole ledger.</summary>
    public static async Task<IResult> LoadAsync(string? entity, IQuerySession session, CancellationToken ct) =>
        entity is null ? WolverineContinue.Result() : (await KnownEntity.LoadAsync(entity, session, ct)).Problem;

    [EndpointSummary("Every failing or indeterminate consistency check (non-GAAP arithmetic and translations, policy-change identities, growth rates, margins and shares, duplicates, restatements that disagree, the calculations a document declares, signs against the concept's balance), for one entity or all; checks never block recording.")]
    [ResponseExample("""{"entity":"688083.SH","count":1,"findings":[{"entity":"688083.SH","kind":"policy-change-identity","subject":"CAS-INTERP-16: equity-rolls-forward FY2023 consolidated","verdict":"inconsistent","detail":"Δ closing equity − Δ opening equity − Δ net profit = 0: off by 61485.18","gap":"61485.16","figures":["688083.SH|RetainedEarnings|2023-12-31|consolidated","688083.SH|StatutorySurplusReserve|2023-12-31|consolidated","688083.SH|Equity|2022-12-31|consolidated","688083.SH|ProfitLoss|FY2023|consolidated"],"documents":["688083.SH/AR2023"]}]}""")]
    [ProblemAnswers(400, 404)]
    [WolverineGet("/api/checks")]
    [ExpensiveRead]
    [Authorize(Policy = Policies.Read)]
    public static async Task<ChecksResponse> Get(string? entity, int? limit, string? cursor,
        IQuerySession session, ConceptCatalog catalog, HttpContext http, CancellationToken ct)
    {
        var (take, after) = Paging.Read(limit, cursor);
        await CheckFindings.RefreshAsync(session, entity, catalog, ct);
        var (rows, count) = await CheckFindings.PageAsync(session, entity, after, take + 1, ct);
        var next = rows.Count > take ? Paging.Cursor(rows[take - 1].Key) : null;
        Paging.LinkNext(http, next);
        return new ChecksResponse(entity, count, next, rows.Take(take).Select(r => FindingView.Of(r.Finding)).ToList());
    }
}
