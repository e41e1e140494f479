using System.Collections.Concurrent;
using System.Net;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Tests.Api;

/// <summary>The log an operator reads: every line of a request under its correlation id, no forged lines, no flood of failed keys.</summary>
[Collection(LedgerCollection.Name)]
public class LoggingTests(LedgerApp app)
{
    [Fact]
    public async Task A_request_value_never_forges_a_log_line_and_Marten_logs_no_SQL_parameters()
    {
        var logs = new CapturedLogs();
        await using var host = app.Variant(new Dictionary<string, string?>(), services => services.AddSingleton<ILoggerProvider>(logs));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", LedgerApp.ReaderKey);

        // The test server refuses NUL in a path; in the query it reaches PostgreSQL, which refuses it, and Marten logged the value.
        foreach (var url in new[] { "/api/checks?entity=%00%0Acrit:%20forged", "/api/checks?entity=FORGED%0Acrit:%20forged" })
            await client.GetAsync(url);
        logs.Entries.Should().NotContain(e => e.Message.Contains("forged") || (e.Exception != null && e.Exception.ToString().Contains("forged")),
            "a request value in a log line can forge another line");
        logs.Entries.Should().NotContain(e => e.Category.StartsWith("Marten", StringComparison.Ordinal) && e.Message.Contains("$1"));
    }

    [Fact]
    public async Task Every_log_line_of_a_request_carries_its_correlation_id_as_the_console_prints_it()
    {
        var logs = new CapturedLogs();
        await using var host = app.Variant(new Dictionary<string, string?>(), services => services.AddSingleton<ILoggerProvider>(logs));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Correlation-Id", "log-scope-7");
        client.DefaultRequestHeaders.Add("X-Api-Key", "not-a-key-of-this-service");

        (await client.GetAsync("/api/entities")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var lines = logs.Entries.Where(e => e.Category.StartsWith("Ledger", StringComparison.Ordinal)).ToList();
        lines.Should().NotBeEmpty("a refused key is logged");
        // The console formatter writes each scope with ToString(); a dictionary prints as its type name.
        lines.Should().OnlyContain(e => e.ScopeTexts.Contains("CorrelationId:log-scope-7"));
    }

    [Fact]
    public async Task Failed_keys_are_logged_below_warning_and_a_flood_of_them_is_summed_up_not_logged_one_by_one()
    {
        var logs = new CapturedLogs();
        await using var host = app.Variant(new Dictionary<string, string?>(), services => services.AddSingleton<ILoggerProvider>(logs));
        using var stranger = host.CreateClient();
        stranger.DefaultRequestHeaders.Add("X-Api-Key", "not-a-key-of-this-service");

        for (var i = 0; i < 200; i++) await stranger.GetAsync("/api/entities");

        logs.Entries.Should().NotContain(e => e.Level >= LogLevel.Warning, "a wrong key is the caller's mistake, not the service's trouble");
        var failed = logs.Entries.Where(e => e.Message.Contains("X-Api-Key", StringComparison.Ordinal)).ToList();
        failed.Should().NotBeEmpty("failed keys are still visible").And.HaveCountLessThanOrEqualTo(2, "200 wrong keys are not 200 entries");
        failed.Should().OnlyContain(e => e.Level == LogLevel.Information);
        logs.Entries.Should().NotContain(e => e.Message.Contains("not-a-key-of-this-service"));
    }

    /// <summary>Every log line with its level, category, and scopes as the console formatter renders them (ToString).</summary>
    private sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
        public ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception, List<string> ScopeTexts)> Entries { get; } = new();
        public ILogger CreateLogger(string category) => new Logger(this, category);
        public void SetScopeProvider(IExternalScopeProvider scopes) => _scopes = scopes;
        public void Dispose() { }

        private sealed class Logger(CapturedLogs owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);
            public bool IsEnabled(LogLevel level) => true;
            public void Log<TState>(LogLevel level, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> format)
            {
                var scopes = new List<string>();
                owner._scopes.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), scopes);
                owner.Entries.Enqueue((level, category, format(state, exception), exception, scopes));
            }
        }
    }
}
