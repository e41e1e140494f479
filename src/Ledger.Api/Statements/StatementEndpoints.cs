using Ledger.Api.Figures;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Concepts;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;
using Ledger.Projections.Statements;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Statements;

/// <summary>An entity's period laid out like the report, current beside as originally reported (调整后 / 调整前).</summary>
public static class StatementEndpoints
{
    /// <summary>Route and query input, checked before anything is read.</summary>
    public static IResult Validate(string period, string? asOf) =>
        !AsOf.TryParse(asOf, out _) ? Problems.BadAsOf(asOf)
        : !Period.TryParse(period, out _) ? Problems.BadPeriod(period)
        : WolverineContinue.Result();

    /// <summary>The statement's lines: a 404 for an unknown entity, or for a period (as of a date) the ledger holds nothing of.</summary>
    public static async Task<(IReadOnlyList<StatementLine>? Lines, IResult Problem)> LoadAsync(string entity, string period, string? asOf,
        IQuerySession session, CancellationToken ct)
    {
        if (await KnownEntity.LoadAsync(entity, session, ct) is (null, var unknown)) return (null, unknown);
        var p = Period.Parse(period);
        var lines = StatementView.Build(await FigureReads.OfEntityAsync(session, entity, [p.Id, Period.Instant(p.End).Id], ct), p, AsOf.Of(asOf));
        return lines.Count == 0
            ? (null, Problems.NotFound($"The ledger holds no figures of {entity} for {p.Id}{(asOf is null ? "" : $" as known on {asOf}")}."))
            : (lines, WolverineContinue.Result());
    }

    [WolverineGet("/api/entities/{entity}/statements/{period}")]
    [ExpensiveRead]
    [Authorize(Policy = Policies.Read)]
    public static StatementResponse Get(string entity, string period, string? asOf, string? language, IReadOnlyList<StatementLine> lines, ConceptCatalog catalog) =>
        new(entity, Period.Parse(period).Id, asOf, lines.Select(l => StatementLineView.Of(l, catalog, language)).ToList());
}
