using System.Diagnostics;
using JasperFx.Events.Daemon;
using Ledger.Projections;
using Marten;

namespace Ledger.Api.Database;

public sealed record RebuiltProjection(string Projection, double Seconds);

/// <summary>Rebuilds every view from the event log. The views are pure functions of the events, so the result equals the live one.</summary>
public static class ProjectionRebuild
{
    /// <summary>The tables of the stored views, for whoever compares live views with rebuilt ones.</summary>
    public static readonly IReadOnlyList<string> ViewTables =
    [
        "mt_doc_figurehistory", "mt_doc_asreportedfigure", "mt_doc_nongaapreconciliationview", "mt_doc_documentsummary", "mt_doc_entityprofile",
    ];

    public static async Task<IReadOnlyList<RebuiltProjection>> RunAsync(IDocumentStore store, CancellationToken ct)
    {
        var results = new List<RebuiltProjection>();
        using var daemon = await store.BuildProjectionDaemonAsync();
        async Task Rebuild<T>()
        {
            var watch = Stopwatch.StartNew();
            await daemon.RebuildProjectionAsync<T>(ct);
            results.Add(new RebuiltProjection(typeof(T).Name, watch.Elapsed.TotalSeconds));
        }
        await Rebuild<FigureHistoryProjection>();
        await Rebuild<AsReportedFigureProjection>();
        await Rebuild<NonGaapReconciliationProjection>();
        await Rebuild<DocumentSummaryProjection>();
        await Rebuild<EntityProfileProjection>();
        return results;
    }
}
