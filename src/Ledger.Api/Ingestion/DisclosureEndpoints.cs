using System.Text.Json;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace Ledger.Api.Ingestion;

public static class DisclosureEndpoints
{
    /// <summary>Why the caller records the package, in its own words (optional, kept on every event).</summary>
    public const string ReasonHeader = "X-Ledger-Reason";

    /// <summary>The headers, the body's type and its declared length, before a byte of it is read.</summary>
    public static IResult Validate(HttpRequest request)
    {
        if (request.Headers.TryGetValue(Idempotency.Header, out var key) && !Idempotency.IsValidKey(key.ToString()))
            return Problems.BadRequest(Idempotency.Header, "must be 1 to 200 visible ASCII characters");
        if (request.Headers[ReasonHeader].ToString().Trim().Length > 500) return Problems.BadRequest(ReasonHeader, "must be at most 500 characters");
        if (!RequestBodies.IsJson(request.ContentType)) return RequestBodies.NotJson("a disclosure package");
        if (request.ContentLength > DisclosureIngestion.MaxPackageBytes) return TooLarge();
        return WolverineContinue.Result();
    }

    /// <summary>Loads one disclosure package: all of its events or none.</summary>
    /// <remarks>
    /// The answer is worked out as JSON once (<see cref="AnswerTo"/>) so that a retry under the same Idempotency-Key gets
    /// it byte for byte; its shapes are declared here for the OpenAPI description.
    /// </remarks>
    [EndpointSummary("Loads one disclosure package atomically: 201 with counts; 200 with recorded 0 when already loaded; 409 for a different package of a loaded document unless marked as a correction; 400 naming every bad field.")]
    [ResponseExample("""{"documentId":"0268.HK/PR2023","recorded":32,"facts":30,"restatements":0,"reconciliations":0,"warnings":[]}""")]
    [RequestExample("""{"document":{"id":"0268.HK/PR2023","entity":"0268.HK","kind":"press-release","title":"金蝶國際公佈 2023 年度業績","language":"zh-Hant","publishedOn":"2024-03-18"},"entities":[{"id":"0268.HK","names":{"zh-Hant":"金蝶國際軟件集團有限公司"},"standard":"HKFRS","currency":"CNY"}],"facts":[{"concept":"Revenue","period":"FY2023","printed":"約人民幣56.79億元","scale":"units","unit":"CNY","location":{"row":"錄得收入","line":18}}]}""")]
    [ProblemAnswers(400, 409, 413, 415, 422)]
    [WolverinePost("/api/disclosures")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<PackageRecorded>(StatusCodes.Status201Created, "application/json")]
    [ProducesResponseType<PackageOnRecord>(StatusCodes.Status200OK, "application/json")]
    public static async Task<IResult> Post(HttpRequest request, IMessageBus bus, IDocumentStore store, IdempotencySettings idempotency, IngestionSlots slots, Database.LedgerDatabase database, TimeProvider clock, CancellationToken ct)
    {
        var idempotencyKey = request.Headers.TryGetValue(Idempotency.Header, out var k) ? k.ToString() : null;
        var reason = request.Headers[ReasonHeader].ToString().Trim();
        // The slot is held from the first byte read to the answer: the body and the figures are what take memory.
        using var slot = await slots.TryEnterAsync(ct);
        if (slot is null) return IngestionSlots.Busy();
        if (await RequestBodies.ReadAsync(request, DisclosureIngestion.MaxPackageBytes, ct) is not { } body) return TooLarge();

        var caller = RecorderOf(request);
        var recording = new Recording(caller, reason.Length > 0 ? reason : "package posted", CorrelationId: CorrelationIds.Of(request.HttpContext));
        async Task<(HttpAnswer, bool)> Ingest()
        {
            var result = await bus.RecordAsync(body, recording, ct);
            // A conflict may be gone on a retry (another load was writing at the same time), so it is not kept.
            return (AnswerTo(result), result.Outcome != IngestionOutcome.Conflict);
        }
        if (idempotencyKey is null) return (await Ingest()).Item1.ToResult();
        return await Idempotency.OnceAsync(store, database.ConnectionString, idempotency, caller, idempotencyKey, Idempotency.Digest(body), clock, Ingest, ct);
    }

    // 413, as HTTP says for a body over the limit; the detail names the limit and what to do.
    internal static IResult TooLarge(string what = "disclosure package", string advice = "split the document's figures into several packages")
    {
        var detail = $"the {what} exceeds the limit of {DisclosureIngestion.MaxPackageBytes} bytes; {advice}";
        return Problems.Result(Problems.Field(StatusCodes.Status413PayloadTooLarge, $"The {what} is too large; nothing was recorded.", $"$: {detail}", "$", detail)
            with { LimitBytes = DisclosureIngestion.MaxPackageBytes });
    }

    /// <summary>The key's name (never the key); the command-line loader and the seed loader name themselves.</summary>
    internal static string RecorderOf(HttpRequest request) =>
        request.HttpContext.User.Identity?.Name ?? "anonymous";

    public static HttpAnswer AnswerTo(IngestionResult r)
    {
        var (status, body) = r.Outcome switch
        {
            IngestionOutcome.Recorded => (StatusCodes.Status201Created,
                (object)new PackageRecorded(r.DocumentId!, r.Recorded, r.Facts, r.Restatements, r.Reconciliations, r.Warnings ?? [])),
            IngestionOutcome.AlreadyLoaded => (StatusCodes.Status200OK, new PackageOnRecord(r.DocumentId!, 0, null, r.Message)),
            IngestionOutcome.Corrected => (StatusCodes.Status200OK, new PackageOnRecord(r.DocumentId!, r.Recorded, r.Differences, r.Message)),
            IngestionOutcome.Invalid => (StatusCodes.Status400BadRequest, Problems.InvalidPackageBody(r.Errors ?? [])),
            IngestionOutcome.Conflict => (StatusCodes.Status409Conflict, Problems.Of(StatusCodes.Status409Conflict,
                "The document is already loaded from a different package; nothing was recorded.",
                r.Message ?? "") with { DocumentId = r.DocumentId, Differences = r.Differences ?? [] }),
            _ => throw new InvalidOperationException($"unhandled outcome {r.Outcome}"),
        };
        return new HttpAnswer(status, status >= 400 ? "application/problem+json" : "application/json", JsonSerializer.Serialize(body, Problems.Json));
    }
}

/// <summary>The package's JSON Schema, for a preparer to validate a package before posting it (a static file).</summary>
public static class DisclosureSchemaEndpoint
{
    [EndpointSummary("The JSON Schema of a disclosure package, for validating a package before posting it.")]
    [WolverineGet("/api/disclosures/schema")]
    [AllowAnonymous]
    public static IResult Schema() =>
        Results.File(Path.Combine(AppContext.BaseDirectory, "disclosure-package.schema.json"), "application/schema+json");
}
