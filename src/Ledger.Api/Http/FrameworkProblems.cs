namespace Ledger.Api.Http;

/// <summary>
/// The problems the frameworks write themselves, put in the API's one shape (<see cref="ProblemDocument"/>): Wolverine's
/// 400 for a query value that does not parse (<c>?limit=abc</c>: its own type and title, the parameter in an extension
/// of its own) and ASP.NET Core's status code pages (a bodiless error). Both go through ASP.NET Core's problem details
/// service, whose hook this is: the status's type as every other problem has it, a detail, the wrong parameter in
/// <c>errors</c> and the title "Bad request" as the routes' other 400s have them, and no trace id (a client quotes the
/// correlation id instead). A status code page keeps the framework's title for its status ("Not Found"). The service
/// writes JSON only for a request that accepts it; one whose Accept header excludes JSON gets what the framework writes
/// without it.
/// </summary>
public static class FrameworkProblems
{
    public static void Configure(ProblemDetailsOptions options) => options.CustomizeProblemDetails = context =>
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Status = status;
        problem.Type = $"https://httpstatuses.io/{status}";
        problem.Title ??= Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        problem.Detail ??= problem.Title;
        problem.Instance = null;
        problem.Extensions.Remove("traceId");
        // Wolverine names the parameter that did not parse under "parameter"; the API names every wrong field in errors.
        if (problem.Extensions.Remove("parameter", out var parameter) && parameter?.ToString() is { } name)
        {
            problem.Title = "Bad request";
            problem.Extensions["errors"] = new[] { new FieldProblem(name, problem.Detail) };
        }
    };
}
