namespace Ledger.Api.Http;

/// <summary>
/// An exception nobody handled becomes a 500 problem document that says nothing about the inside of the
/// process (no message, no type, no stack), only the correlation id under which the log holds the details.
/// </summary>
public static class UnhandledErrors
{
    public static void UseUnhandledErrorProblems(this WebApplication app) => app.UseExceptionHandler(new ExceptionHandlerOptions
    {
        ExceptionHandler = http =>
        {
            var correlationId = CorrelationIds.Of(http);
            // The exception handler clears the response's headers; the caller still needs the id to quote.
            http.Response.Headers[CorrelationIds.Header] = correlationId;
            return Problems.Result(StatusCodes.Status500InternalServerError, "Internal error",
                $"The request failed inside the service. The log has the details under correlation id {correlationId}.",
                    new { correlationId })
                .ExecuteAsync(http);
        },
    });
}
