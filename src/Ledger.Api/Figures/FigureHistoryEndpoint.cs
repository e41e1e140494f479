using Ledger.Api.Entities;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Concepts;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Figures;

/// <summary>Every step of a figure's history in knowledge order, with the ledger's own transcription fixes kept apart.</summary>
public static class FigureHistoryEndpoint
{
    public static IResult Validate(string concept, string period, string? scope, string? dims, string? asOf, ConceptCatalog catalog) =>
        FigureLookup.Validate(concept, period, scope, dims, asOf, catalog);

    public static Task<(FigureHistory? History, IResult Problem)> LoadAsync(string entity, string concept, string period, string? scope, string? dims,
        bool? opening, IQuerySession session, EntityCalendars calendars, CancellationToken ct) =>
        FigureLookup.LoadAsync(entity, concept, period, scope, dims, opening, session, calendars, ct);

    [EndpointSummary("A figure's audit history in knowledge order (publication date, then document): value, previous value, delta, reasons, document, published date (or unknown), recorded time and recorder.")]
    [ResponseExample("""{"figure":"688083.SH|ProfitLossAttributableToOwnersOfParent|FY2022|consolidated","entries":[{"kind":"disclosed","value":{"value":"6301756.6","unit":"CNY","decimals":"2","approximate":false},"printed":"6,301,756.60","reasons":[],"beforeDisagreesWithLedger":false,"document":{"id":"688083.SH/AR2022","publishedOnUnknown":true,"knownNoLaterThan":"2024-04-26"},"location":{"section":"第二节 公司简介和主要财务指标 六、近三年主要会计数据和财务指标","table":"(一) 主要会计数据 单位:元 币种:人民币","row":"归属于上市公司股东的净利润","column":"2022年 调整前","line":239},"recording":{"recordedBy":"seed-loader","recordedAt":"2026-12-07T02:14:10.021942+00:00","reason":"seed package 688083.SH-AR2023.json"},"citedBy":"688083.SH/AR2023"},{"kind":"restated","value":{"value":"6003513.77","unit":"CNY","decimals":"2","approximate":false},"printed":"6,003,513.77","previous":{"value":"6301756.6","unit":"CNY","decimals":"2","approximate":false},"delta":"-298242.83","reasons":[{"kind":"policy-change","policyChange":"CAS-INTERP-16"}],"beforeDisagreesWithLedger":false,"document":{"id":"688083.SH/AR2023","publishedOn":"2024-04-26","publishedOnUnknown":false},"location":{"section":"第二节 公司简介和主要财务指标 六、近三年主要会计数据和财务指标","table":"(一) 主要会计数据 单位:元 币种:人民币","row":"归属于上市公司股东的净利润","column":"2022年 调整后","line":239},"recording":{"recordedBy":"seed-loader","recordedAt":"2026-12-07T02:14:10.021942+00:00","reason":"seed package 688083.SH-AR2023.json"}}],"transcriptionCorrections":[]}""")]
    [ProblemAnswers(400, 404)]
    [WolverineGet("/api/entities/{entity}/figures/{concept}/{period}/history")]
    [Authorize(Policy = Policies.Read)]
    public static HistoryView Get(string? asOf, FigureHistory history)
    {
        var timeline = PointInTimeView.Of(history, AsOf.Of(asOf))?.Timeline ?? [];
        return new HistoryView(history.Id, asOf,
            timeline.Select(t => new HistoryEntryView(t.Kind, ValueView.Of(t.Value)!, t.Printed, ValueView.Of(t.Previous),
                t.Delta is { } d ? Amount.Format(d) : null, t.Reasons, t.BeforeDisagreesWithLedger, DocumentView.Of(t), t.Location,
                RecordingView.Of(t.Recording), t.CitedBy)).ToList(),
            history.Corrections.Select(c => new CorrectionView(c.DocumentId, c.Previous.Select(v => ValueView.Of(v.Value)!).ToList(),
                c.Corrected.Select(v => ValueView.Of(v.Value)!).ToList(), c.Reason, RecordingView.Of(c.Recording))).ToList());
    }
}
