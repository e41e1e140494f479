using Ledger.Api.Entities;
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
    public static IResult Validate(string period, string? asOf, string? language, ConceptCatalog catalog) =>
        !AsOf.TryParse(asOf, out _) ? Problems.BadAsOf(asOf)
        : !PeriodInput.IsValid(period) ? Problems.BadPeriod(period)
        : !catalog.IsLabelLanguage(language) ? Problems.BadLanguage(language, catalog)
        : WolverineContinue.Result();

    /// <summary>
    /// The statement's lines, as stored (<see cref="StatementLinesRead"/>): a 404 for an unknown entity, or for a period (as
    /// of a date) the ledger holds nothing of. One round trip with the entity's profile.
    /// </summary>
    public static async Task<(StatementOfPeriod? Statement, IResult Problem)> LoadAsync(string entity, string period, string? asOf,
        IQuerySession session, EntityCalendars calendars, CancellationToken ct)
    {
        var read = await EntityPeriodReads.LoadAsync(session, calendars, entity, period,
            p => new StatementLinesRead(entity, StatementView.PeriodsOf(p), AsOf.Of(asOf)), ct);
        if (read is null) return (null, Problems.UnknownEntity(entity));
        var p = read.Period;
        var lines = read.Read;
        return lines.Count == 0
            ? (null, Problems.NotFound($"The ledger holds no figures of {entity} for {p.Id}{(asOf is null ? "" : $" as known on {asOf}")}."))
            : (new StatementOfPeriod(p, lines), WolverineContinue.Result());
    }

    [EndpointSummary("An entity's period laid out like the report: the current value beside the value as originally reported (调整后 / 调整前), optionally asOf a date.")]
    [ResponseExample("""{"entity":"688083.SH","period":"FY2022","lines":[{"figure":"688083.SH|ProfitLossAttributableToOwnersOfParent|FY2022|consolidated","concept":"ProfitLossAttributableToOwnersOfParent","label":"归属于上市公司股东的净利润","period":"FY2022","scope":"consolidated","dimensions":"","table":"(一) 主要会计数据 单位:元 币种:人民币","row":"归属于上市公司股东的净利润","current":{"value":"6003513.77","unit":"CNY","decimals":"2","approximate":false},"asOriginallyReported":{"value":"6301756.6","unit":"CNY","decimals":"2","approximate":false},"restated":true,"currentFrom":{"id":"688083.SH/AR2023","publishedOn":"2024-04-26","publishedOnUnknown":false},"originallyReportedIn":{"id":"688083.SH/AR2022","publishedOnUnknown":true},"reasons":[{"kind":"policy-change","policyChange":"CAS-INTERP-16"}]}]}""")]
    [ProblemAnswers(400, 404)]
    [WolverineGet("/api/entities/{entity}/statements/{period}")]
    [ExpensiveRead]
    [Authorize(Policy = Policies.Read)]
    public static StatementResponse Get(string entity, string? asOf, string? language, StatementOfPeriod statement, ConceptCatalog catalog) =>
        new(entity, statement.Period.Id, asOf, statement.Lines.Select(l => StatementLineView.Of(l, catalog, language)).ToList());
}

/// <summary>The period a route names, as the entity's figures are keyed, and its statement's lines.</summary>
public sealed record StatementOfPeriod(Period Period, IReadOnlyList<StatementLine> Lines);
