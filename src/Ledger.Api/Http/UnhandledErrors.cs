using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Ledger.Api.Http;

/// <summary>
/// An exception nobody handled becomes a 500 problem document that says nothing about the inside of the
/// process (no message, no type, no stack), only the correlation id under which the log holds the details.
/// A database that does not answer (stopped, restarting, unreachable) is not a fault of the request: that is a 503
/// with Retry-After, and the service reconnects by itself when the database is back.
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
            if (DatabaseUnavailable(http.Features.Get<IExceptionHandlerFeature>()?.Error))
                return Problems.WithRetryAfter(Problems.Result(Problems.Of(StatusCodes.Status503ServiceUnavailable, "The database is unavailable",
                    $"The ledger's database did not answer; nothing was recorded by this request. Retry shortly. Correlation id {correlationId}.")
                    with { CorrelationId = correlationId }), 5).ExecuteAsync(http);
            return Problems.Result(Problems.Of(StatusCodes.Status500InternalServerError, "Internal error",
                $"The request failed inside the service. The log has the details under correlation id {correlationId}.")
                    with { CorrelationId = correlationId })
                .ExecuteAsync(http);
        },
    });

    /// <summary>Connection failures and the server's own shutdown codes (class 08, 57P01–57P03), however deeply wrapped.</summary>
    public static bool DatabaseUnavailable(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is PostgresException p) return p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState is "57P01" or "57P02" or "57P03";
            if (e is NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException) return true;
            if (e is AggregateException a && a.InnerExceptions.Any(DatabaseUnavailable)) return true;
        }
        return false;
    }
}
