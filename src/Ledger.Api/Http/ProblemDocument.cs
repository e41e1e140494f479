using Ledger.Api.Ingestion;

namespace Ledger.Api.Http;

/// <summary>
/// Every problem the API answers with (RFC 9457): the status's type, a title, a detail for people, and, where they
/// apply, the members a client acts on. A record, so that the OpenAPI description infers the problems' schema from it
/// (<see cref="OpenApiExamples"/>); members that do not apply are null and left out of the answer.
/// </summary>
/// <param name="Errors">Each wrong field or header, by its JSON path, query parameter or header name (400, 409, 413, 415, 422, 503).</param>
/// <param name="LimitBytes">The body's limit, when it was exceeded (413).</param>
/// <param name="DocumentId">The document a package conflicts with (409).</param>
/// <param name="Differences">The figures in which the package differs from the one the ledger holds for its document (409).</param>
/// <param name="CorrelationId">The id the log holds the failure under (500, and 503 when the database does not answer).</param>
/// <param name="RetryAfterSeconds">When to try again, as the Retry-After header says (429, and the 503 of a rebuild).</param>
/// <param name="TimeoutSeconds">How long a read may take (503, a read stopped).</param>
/// <param name="Role">The key's role (403).</param>
/// <param name="RequiredRole">The least role the operation needs (403).</param>
public sealed record ProblemDocument(
    string Type,
    string Title,
    int Status,
    string Detail,
    IReadOnlyList<FieldProblem>? Errors = null,
    int? LimitBytes = null,
    string? DocumentId = null,
    IReadOnlyList<FigureDifference>? Differences = null,
    string? CorrelationId = null,
    int? RetryAfterSeconds = null,
    double? TimeoutSeconds = null,
    string? Role = null,
    string? RequiredRole = null);

/// <summary>One wrong field of a request: where (a JSON path, a query parameter, a header) and what is wrong with it.</summary>
public sealed record FieldProblem(string Path, string Detail);
