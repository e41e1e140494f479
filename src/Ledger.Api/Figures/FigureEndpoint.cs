using Ledger.Api.Entities;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Concepts;
using Ledger.Projections.Figures;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Figures;

/// <summary>One figure: its current (or as-of) value, its original value, whether it was restated and by what.</summary>
public static class FigureEndpoint
{
    public static IResult Validate(string concept, string period, string? scope, string? dims, string? asOf, ConceptCatalog catalog) =>
        FigureLookup.Validate(concept, period, scope, dims, asOf, catalog);

    /// <summary>The figure as known on <c>asOf</c>: a 404 as well when it was not yet reported then.</summary>
    public static async Task<(FigureState? State, IResult Problem)> LoadAsync(string entity, string concept, string period, string? scope, string? dims,
        string? asOf, bool? opening, IQuerySession session, EntityCalendars calendars, CancellationToken ct)
    {
        var (history, problem) = await FigureLookup.LoadAsync(entity, concept, period, scope, dims, opening, session, calendars, ct);
        if (history is null) return (null, problem);
        return PointInTimeView.Of(history, AsOf.Of(asOf)) is { } state
            ? (state, WolverineContinue.Result())
            : (null, Problems.NotFound($"{history.Id} was not yet reported on {asOf}."));
    }

    [EndpointSummary("One figure: its current (or asOf) value, its original value, whether it was restated, and the document that last changed it. opening=true reads 2022-01-01 as the opening balance stored at 2021-12-31.")]
    [ResponseExample("""{"figure":"688083.SH|ProfitLossAttributableToOwnersOfParent|FY2022|consolidated","entity":"688083.SH","concept":"ProfitLossAttributableToOwnersOfParent","period":"FY2022","scope":"consolidated","dimensions":"","current":{"value":"6003513.77","unit":"CNY","decimals":"2","approximate":false},"original":{"value":"6301756.6","unit":"CNY","decimals":"2","approximate":false},"restated":true,"lastChangedBy":{"id":"688083.SH/AR2023","publishedOn":"2024-04-26","publishedOnUnknown":false},"firstReportedIn":{"id":"688083.SH/AR2022","publishedOnUnknown":true,"knownNoLaterThan":"2024-04-26"},"lastReasons":[{"kind":"policy-change","policyChange":"CAS-INTERP-16"}]}""")]
    [ProblemAnswers(400, 404)]
    [WolverineGet("/api/entities/{entity}/figures/{concept}/{period}")]
    [Authorize(Policy = Policies.Read)]
    public static FigureView Get(string? asOf, FigureState state) => FigureView.Of(state, asOf);
}
