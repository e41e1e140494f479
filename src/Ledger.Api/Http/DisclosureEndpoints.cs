using Ledger.Api.Ingestion;
using Ledger.Domain.Events;
using Wolverine.Http;

namespace Ledger.Api.Http;

public static class DisclosureEndpoints
{
    /// <summary>Loads one disclosure package: all of its events or none.</summary>
    [WolverinePost("/api/disclosures")]
    public static async Task<IResult> Post(HttpRequest request, DisclosureIngestion ingestion, CancellationToken ct)
    {
        if (request.ContentLength > DisclosureIngestion.MaxPackageBytes) return TooLarge();
        // Read at most one byte past the limit, so that a chunked body without a length cannot exhaust memory.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > DisclosureIngestion.MaxPackageBytes) return TooLarge();
        }
        var result = await ingestion.IngestAsync(buffer.ToArray(), new Recording(RecorderOf(request), "package posted"), ct);
        return ToHttp(result);
    }

    // 400 like every other refused package (the issue asks for it); the detail names the limit.
    private static IResult TooLarge() => Problems.InvalidPackage(
        [new Ledger.Domain.Packages.PackageError("$", $"the package exceeds the limit of {DisclosureIngestion.MaxPackageBytes} bytes; split the document's figures into several packages")]);

    [WolverineGet("/api/disclosures/schema")]
    public static IResult Schema() =>
        Results.File(Path.Combine(AppContext.BaseDirectory, "disclosure-package.schema.json"), "application/schema+json");

    internal static string RecorderOf(HttpRequest request) =>
        request.HttpContext.User.Identity?.Name ?? "anonymous";

    public static IResult ToHttp(IngestionResult r) => r.Outcome switch
    {
        IngestionOutcome.Recorded => Results.Json(new
        {
            documentId = r.DocumentId, recorded = r.Recorded, facts = r.Facts, restatements = r.Restatements,
            reconciliations = r.Reconciliations, warnings = r.Warnings ?? [],
        }, Problems.Json, statusCode: StatusCodes.Status201Created),
        IngestionOutcome.AlreadyLoaded => Results.Json(new { documentId = r.DocumentId, recorded = 0, message = r.Message }, Problems.Json),
        IngestionOutcome.Corrected => Results.Json(new
        {
            documentId = r.DocumentId, recorded = r.Recorded, corrected = r.Differences, message = r.Message,
        }, Problems.Json),
        IngestionOutcome.Invalid => Problems.InvalidPackage(r.Errors ?? []),
        IngestionOutcome.Conflict => Problems.Result(StatusCodes.Status409Conflict, "The document is already loaded from a different package; nothing was recorded.",
            r.Message ?? "", new { documentId = r.DocumentId, differences = r.Differences ?? [] }),
        _ => throw new InvalidOperationException($"unhandled outcome {r.Outcome}"),
    };
}
