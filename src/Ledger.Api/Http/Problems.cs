using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Domain.Concepts;
using Ledger.Domain.Ingestion;
using Ledger.Domain.Values;

namespace Ledger.Api.Http;

/// <summary>RFC 9457 problem documents, and the JSON conventions of every response.</summary>
public static class Problems
{
    public static readonly JsonSerializerOptions Json = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>The conventions of every answer: camelCase, enums in kebab-case, no nulls, Chinese and other text unescaped.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }

    /// <summary>A problem with the status's type and nothing else; members that apply are added with <c>with</c>.</summary>
    public static ProblemDocument Of(int status, string title, string detail) => new($"https://httpstatuses.io/{status}", title, status, detail);

    public static IResult Result(int status, string title, string detail) => Result(Of(status, title, detail));

    public static IResult Result(ProblemDocument problem) => Results.Json(problem, Json, "application/problem+json", problem.Status);

    /// <summary>A problem naming one wrong field.</summary>
    public static ProblemDocument Field(int status, string title, string detail, string path, string fieldDetail) =>
        Of(status, title, detail) with { Errors = [new FieldProblem(path, fieldDetail)] };

    public static ProblemDocument InvalidPackageBody(IReadOnlyList<PackageError> errors) =>
        Invalid("The disclosure package is invalid; nothing was recorded.", "field(s) are wrong", errors);

    /// <summary>A 400 naming every wrong field of a body, the first five of them in its detail as well ("3 problem(s): …").</summary>
    public static ProblemDocument Invalid(string title, string counted, IReadOnlyList<PackageError> errors) =>
        Of(StatusCodes.Status400BadRequest, title,
            $"{errors.Count} {counted}: {string.Join("; ", errors.Take(5).Select(e => $"{e.Path}: {e.Message}"))}{(errors.Count > 5 ? "; ..." : "")}")
        with { Errors = errors.Select(e => new FieldProblem(e.Path, e.Message)).ToList() };

    public static IResult NotFound(string what) => Result(StatusCodes.Status404NotFound, "Not found", what);

    public static IResult BadPeriod(string? period) =>
        BadRequest("period", $"'{period}' is not a period ({Period.Forms})");

    public static IResult BadAsOf(string? asOf) => BadRequest("asOf", $"'{asOf}' is not a date (yyyy-MM-dd)");

    public static IResult BadLanguage(string? language, ConceptCatalog catalog) =>
        BadRequest("language", $"'{language}' is not a language the concepts are labelled in ({string.Join(", ", catalog.Languages)})");

    public static IResult UnknownEntity(string entity) => NotFound($"Entity '{entity}' is not in the ledger.");

    public static IResult BadRequest(string field, string detail) =>
        Result(Field(StatusCodes.Status400BadRequest, "Bad request", $"{field}: {detail}", field, detail));

    /// <summary>The same answer with a Retry-After header (seconds): for 409s, 429s and 503s that a later try may pass.</summary>
    public static IResult WithRetryAfter(IResult inner, int seconds) => new RetryAfterResult(inner, seconds);

    private sealed class RetryAfterResult(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(http);
        }
    }
}
