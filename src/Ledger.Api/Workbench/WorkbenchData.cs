using Ledger.Api.Figures;
using Ledger.Api.Http;
using Ledger.Domain.Checks;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections.Checks;
using Ledger.Projections.Entities;
using Ledger.Projections.Figures;
using Marten;

namespace Ledger.Api.Workbench;

/// <summary>A row of the workbench's entity list: the entity and what its figures and checks come to.</summary>
public sealed record EntitySummaryView(string Id, IReadOnlyDictionary<string, string> Names, string Standard, string Currency,
    int Figures, int Restated, int Inconsistent, int Indeterminate);

public sealed record EntitySummariesResponse(IReadOnlyList<EntitySummaryView> Entities, string? NextCursor);

public sealed record RestatedFigureView(string Figure, string Concept, string Period, string Dimensions);

/// <summary>
/// What the workbench's page of one entity shows: the periods it has statements of, their fiscal names where the id is
/// explicit dates (Snowflake's 2023-02-01..2024-01-31 is its FY2024), and its restated figures.
/// </summary>
public sealed record EntityOverviewResponse(string Entity, IReadOnlyList<string> Periods, IReadOnlyList<RestatedFigureView> Restated,
    IReadOnlyDictionary<string, string> FiscalNames);

/// <summary>
/// The workbench's own reads, shaped for its pages so that a page asks for what it shows, not the whole ledger: the
/// entity list a page of entities at a time (each entity's figures and checks counted on the server), an entity's page
/// from its own figures. Expensive reads (per-caller slots and the deadline), under the read policy like the API.
/// </summary>
public static class WorkbenchData
{
    public const int EntitiesPerPage = 50;

    public static void MapWorkbenchData(this WebApplication app)
    {
        app.MapGet("/ui/data/entities", async (int? limit, string? cursor, IQuerySession session, ConceptCatalog catalog, HttpContext http, CancellationToken ct) =>
        {
            if (!Paging.TryRead(limit, cursor, EntitiesPerPage, out var take, out var after, out var problem)) return problem!;
            var page = Paging.Of(await session.Query<EntityProfile>().ToListAsync(ct), p => p.Entity, take, after);
            var rows = new List<EntitySummaryView>();
            foreach (var profile in page.Items) await CheckFindings.RefreshAsync(session, profile.Entity, catalog, ct);
            var checks = await CheckFindings.CountsAsync(session, page.Items.Select(p => p.Entity).ToList(), ct);
            foreach (var profile in page.Items)
            {
                var states = (await FigureReads.OfEntityAsync(session, profile.Entity, null, ct)).Select(f => PointInTimeView.Of(f, null)).OfType<FigureState>().ToList();
                var (inconsistent, indeterminate) = checks[profile.Entity];
                rows.Add(new EntitySummaryView(profile.Entity, profile.Names, profile.Standard, profile.Currency, states.Count, states.Count(s => s.Restated),
                    inconsistent, indeterminate));
            }
            Paging.LinkNext(http, page.NextCursor);
            return Results.Json(new EntitySummariesResponse(rows, page.NextCursor), Problems.Json);
        }).RequireAuthorization(Security.Policies.Read).WithMetadata(new ExpensiveReadAttribute()).ExcludeFromDescription();

        app.MapGet("/ui/data/entities/{entity}", async (string entity, IQuerySession session, CancellationToken ct) =>
        {
            if (await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct) is not { } profile) return Problems.UnknownEntity(entity);
            var states = (await FigureReads.OfEntityAsync(session, entity, null, ct)).Select(f => PointInTimeView.Of(f, null)).OfType<FigureState>().ToList();
            // A statement is of a year, half or quarter: the periods of duration the entity has figures for.
            var periods = states.Select(s => s.Figure.Period).Distinct()
                .Where(p => Period.TryParse(p, out var period) && period.Type == PeriodType.Duration)
                .OrderDescending(StringComparer.Ordinal).ToList();
            var restated = states.Where(s => s.Restated)
                .Select(s => new RestatedFigureView(s.Figure.Id, s.Figure.Concept, s.Figure.Period, s.Figure.Dimensions)).ToList();
            var calendar = profile.Calendar();
            var fiscalNames = periods.Select(p => (Id: p, Name: calendar.FiscalIdOf(Period.Parse(p))))
                .Where(p => p.Name is not null && p.Name != p.Id).ToDictionary(p => p.Id, p => p.Name!);
            return Results.Json(new EntityOverviewResponse(entity, periods, restated, fiscalNames), Problems.Json);
        }).RequireAuthorization(Security.Policies.Read).WithMetadata(new ExpensiveReadAttribute()).ExcludeFromDescription();
    }
}
