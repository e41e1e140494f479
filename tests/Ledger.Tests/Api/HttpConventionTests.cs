using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ledger.Tests.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Tests.Api;

/// <summary>ETags, pagination, Idempotency-Key, rate limits and error documents: what a client can rely on.</summary>
[Collection(LedgerCollection.Name)]
public class HttpConventionTests(LedgerApp app)
{
    [Theory]
    [InlineData("/api/entities/688083.SH/statements/FY2022")]
    [InlineData("/api/entities/688083.SH/figures/ProfitLossAttributableToOwnersOfParent/FY2022/history")]
    [InlineData("/api/entities")]
    public async Task A_view_carries_an_ETag_and_an_unchanged_view_is_a_304_without_a_body(string url)
    {
        var first = await app.Client.GetAsync(url);
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        var tag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { IfNoneMatch = { tag } } };
        var second = await app.Client.SendAsync(again);
        second.StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await second.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        second.Headers.ETag.Should().Be(tag);

        using var stale = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { IfNoneMatch = { new EntityTagHeaderValue("\"stale\"") } } };
        (await app.Client.SendAsync(stale)).StatusCode.Should().Be(HttpStatusCode.OK);

        var head = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Headers.ETag.Should().Be(tag, "HEAD answers with the headers the GET would have");
        head.Content.Headers.ContentLength.Should().Be(first.Content.Headers.ContentLength ?? (await first.Content.ReadAsByteArrayAsync()).Length);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task A_weak_form_of_the_tag_or_a_star_in_If_None_Match_is_a_304_and_a_list_with_the_tag_too()
    {
        const string url = "/api/entities/688083.SH/figures/ProfitLossAttributableToOwnersOfParent/FY2022";
        var tag = (await app.Client.GetAsync(url)).Headers.ETag!.Tag;

        foreach (var ifNoneMatch in new[] { $"W/{tag}", "*", $"\"other\", {tag}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch).Should().BeTrue();
            var response = await app.Client.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.NotModified, $"If-None-Match: {ifNoneMatch}");
            (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        }
        using var weakOther = new HttpRequestMessage(HttpMethod.Get, url);
        weakOther.Headers.TryAddWithoutValidation("If-None-Match", "W/\"other\"");
        (await app.Client.SendAsync(weakOther)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_ETag_changes_when_a_recorded_event_changes_the_view()
    {
        (await app.PostPackageAsync(MadeUp.Package("ETAG.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "100")).Json()))
            .StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.OK);
        var before = (await app.Client.GetAsync("/api/entities/ETAG.A/figures")).Headers.ETag;

        (await app.PostPackageAsync(MadeUp.Package("ETAG.A", "AR2024", "2025-03-01", MadeUp.Fact("Revenue", "FY2024", "120")).Json()))
            .StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.OK);
        var after = (await app.Client.GetAsync("/api/entities/ETAG.A/figures")).Headers.ETag;

        after.Should().NotBe(before);
    }

    [Fact]
    public async Task Lists_page_by_limit_and_cursor_in_a_stable_order_covering_every_item_once()
    {
        // Every figure in one page of the largest size (ZWSOFT's package states more than a default page of 1000).
        var all = (await app.GetJsonAsync("/api/entities/688083.SH/figures?limit=5000")).GetProperty("figures").EnumerateArray()
            .Select(f => f.GetProperty("figure").GetString()!).ToList();
        all.Should().HaveCountGreaterThan(100).And.BeInAscendingOrder(StringComparer.Ordinal);

        var paged = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await app.Client.GetAsync($"/api/entities/688083.SH/figures?limit=150{(cursor is null ? "" : $"&cursor={cursor}")}");
            var page = await LedgerApp.JsonOf(response);
            paged.AddRange(page.GetProperty("figures").EnumerateArray().Select(f => f.GetProperty("figure").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            if (cursor is not null) response.Headers.GetValues("Link").Single().Should().Contain($"cursor={cursor}").And.Contain("rel=\"next\"").And.Contain("limit=150");
            pages++;
        } while (cursor is not null);

        paged.Should().Equal(all);
        pages.Should().Be((all.Count + 149) / 150);
    }

    [Fact]
    public async Task The_entity_list_stays_an_array_and_links_to_its_next_page()
    {
        var response = await app.Client.GetAsync("/api/entities?limit=2");
        var first = await LedgerApp.JsonOf(response);
        first.GetArrayLength().Should().Be(2);
        var next = response.Headers.GetValues("Link").Single();
        var url = next[(next.IndexOf('<') + 1)..next.IndexOf('>')];

        var second = await app.GetJsonAsync(url);
        second.EnumerateArray().Select(e => e.GetProperty("id").GetString())
            .Should().NotIntersectWith(first.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task An_entitys_documents_page_in_publication_order_through_the_Link_header_and_a_page_is_1000_by_default()
    {
        // Loaded out of order; listed by publication date (README, "Pages").
        foreach (var (slug, published) in new[] { ("AR2023", "2024-03-20"), ("AR2021", "2022-03-20"), ("IR2023", "2023-08-20"), ("AR2022", "2023-03-20") })
            (await app.PostPackageAsync(MadeUp.Package("PAGES.A", slug, published, MadeUp.Fact("Revenue", $"FY{published[..4]}", "1")).Json()))
                .StatusCode.Should().Be(HttpStatusCode.Created);

        var seen = new List<string>();
        var url = "/api/entities/PAGES.A/documents?limit=3";
        while (url is not null)
        {
            var response = await app.Client.GetAsync(url);
            seen.AddRange((await LedgerApp.JsonOf(response)).EnumerateArray().Select(d => d.GetProperty("id").GetString()!));
            url = response.Headers.TryGetValues("Link", out var link) ? Target(link.Single()) : null;
        }
        static string Target(string link) => link[(link.IndexOf('<') + 1)..link.IndexOf('>')];
        seen.Should().Equal("PAGES.A/AR2021", "PAGES.A/AR2022", "PAGES.A/IR2023", "PAGES.A/AR2023");

        // Without a limit, a page holds 1000: ZWSOFT's package states more figures than that.
        var response1000 = await app.Client.GetAsync("/api/entities/688083.SH/figures");
        (await LedgerApp.JsonOf(response1000)).GetProperty("figures").GetArrayLength().Should().Be(1000);
        response1000.Headers.GetValues("Link").Single().Should().Contain("rel=\"next\"");
    }

    [Theory]
    [InlineData("/api/entities?limit=0", "limit")]
    [InlineData("/api/entities/688083.SH/figures?limit=100000", "limit")]
    [InlineData("/api/checks?cursor=bm9wZQ", "cursor")]
    // A value that does not parse as a number is refused by Wolverine's binding, in the API's shape (Http/FrameworkProblems).
    [InlineData("/api/entities?limit=abc", "limit")]
    [InlineData("/api/checks?limit=1.5", "limit")]
    public async Task A_bad_limit_or_cursor_is_a_400_naming_it(string url, string field)
    {
        var response = await app.Client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await LedgerApp.JsonOf(response)).GetProperty("errors")[0].GetProperty("path").GetString().Should().Be(field);
    }

    [Theory]
    [InlineData("/api/entities/688083.SH/statements/FY2022?language=fr")]
    [InlineData("/api/entities/688083.SH/statements/FY2022?language=zh-hans")]
    [InlineData("/api/entities/688083.SH/policy-changes/CAS-INTERP-16/reconciliation?language=de")]
    [InlineData("/api/entities/688083.SH/export?format=csv&language=english")]
    public async Task A_language_the_concepts_are_not_labelled_in_is_a_400_naming_it_and_the_languages(string url)
    {
        // It used to fall back to another language's labels without a word.
        var response = await app.Client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await LedgerApp.JsonOf(response);
        problem.GetProperty("errors")[0].GetProperty("path").GetString().Should().Be("language");
        problem.GetProperty("detail").GetString().Should().Contain("en, zh-Hans, zh-Hant");
    }

    [Theory]
    [InlineData("zh-Hans")]
    [InlineData("zh-Hant")]
    [InlineData("en")]
    [InlineData("")]
    public async Task Each_label_language_is_answered_and_an_empty_one_is_the_default(string language)
    {
        (await app.Client.GetAsync($"/api/entities/688083.SH/statements/FY2022?language={language}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await app.Client.GetAsync($"/api/entities/688083.SH/policy-changes/CAS-INTERP-16/reconciliation?language={language}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await app.Client.GetAsync($"/api/entities/688083.SH/export?format=csv&language={language}")).StatusCode.Should().Be(HttpStatusCode.OK);
        if (language.Length > 0) return;
        static IEnumerable<string?> Labels(System.Text.Json.JsonElement statement) => statement.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("label").GetString());
        Labels(await app.GetJsonAsync("/api/entities/688083.SH/statements/FY2022?language="))
            .Should().Equal(Labels(await app.GetJsonAsync("/api/entities/688083.SH/statements/FY2022?language=zh-Hans")));
    }

    [Fact]
    public async Task An_Idempotency_Key_replays_the_first_answer_and_refuses_another_body_with_422()
    {
        var package = MadeUp.Package("IDEM.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json();
        var first = await PostWithKey("idem-key-1", package);
        first.StatusCode.Should().Be(HttpStatusCode.Created);
        var firstBody = await first.Content.ReadAsStringAsync();
        var events = await app.EventCountAsync();

        var retry = await PostWithKey("idem-key-1", package);
        retry.StatusCode.Should().Be(HttpStatusCode.Created, "a retry gets the first answer again, not 'already loaded'");
        (await retry.Content.ReadAsStringAsync()).Should().Be(firstBody);

        var other = MadeUp.Package("IDEM.A", "AR2024", "2025-03-01", MadeUp.Fact("Revenue", "FY2024", "2,000")).Json();
        var reused = await PostWithKey("idem-key-1", other);
        reused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await LedgerApp.JsonOf(reused)).GetProperty("errors")[0].GetProperty("path").GetString().Should().Be("Idempotency-Key");
        (await app.EventCountAsync()).Should().Be(events, "neither the retry nor the reused key wrote anything");

        (await PostWithKey("idem-key-2", other)).StatusCode.Should().Be(HttpStatusCode.Created, "a new key is a new request");
    }

    [Fact]
    public async Task Idempotency_Keys_belong_to_their_caller_so_two_callers_may_use_the_same_key()
    {
        var writersPackage = MadeUp.Package("IDEM.W", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json();
        var adminsPackage = MadeUp.Package("IDEM.X", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "2,000")).Json();
        using var writer = app.ClientWith(LedgerApp.WriterKey);

        (await PostWithKey("shared-idem-key", writersPackage, writer)).StatusCode.Should().Be(HttpStatusCode.Created);
        var admins = await PostWithKey("shared-idem-key", adminsPackage);

        admins.StatusCode.Should().Be(HttpStatusCode.Created, "another caller's key is not this caller's: its package is loaded, not refused with 422");
        (await app.CurrentAsync("IDEM.X", "Revenue", "FY2023")).Value.Should().Be("2000");
    }

    [Fact]
    public async Task A_key_whose_first_request_is_still_running_gets_409_with_Retry_After_and_nothing_runs()
    {
        var package = MadeUp.Package("IDEM.RUN", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json();
        (await PostWithKey("still-running-key", package)).StatusCode.Should().Be(HttpStatusCode.Created);
        // Put the key back in the state it has while its first request runs: claimed, not yet answered, and its lock held
        // (here by this test's own connection, as the running request's would be).
        string id;
        await using (var session = app.Store.LightweightSession())
        {
            var claim = (await session.Query<Ledger.Api.Http.IdempotentRequest>().ToListAsync()).Single(r => r.Id.EndsWith("|still-running-key", StringComparison.Ordinal));
            claim.Status = 0;
            claim.Body = "";
            session.Store(claim);
            await session.SaveChangesAsync();
            id = claim.Id;
        }
        await using var running = new Npgsql.NpgsqlConnection(app.Database.ConnectionString + ";Pooling=false");
        await running.OpenAsync();
        await using (var take = new Npgsql.NpgsqlCommand("select pg_advisory_lock(hashtextextended(@id, 0))", running))
        {
            take.Parameters.AddWithValue("id", "idempotency:" + id);
            await take.ExecuteNonQueryAsync();
        }
        var events = await app.EventCountAsync();

        var retry = await PostWithKey("still-running-key", package);

        retry.StatusCode.Should().Be(HttpStatusCode.Conflict);
        retry.Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeInRange(1, 60);
        retry.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await LedgerApp.JsonOf(retry)).GetProperty("errors")[0].GetProperty("path").GetString().Should().Be("Idempotency-Key");
        (await app.EventCountAsync()).Should().Be(events);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_Idempotency_Key_never_both_run()
    {
        for (var pair = 0; pair < 6; pair++)
        {
            var a = MadeUp.Package($"RACE.{pair}", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json();
            var b = MadeUp.Package($"RACE.{pair}", "AR2024", "2025-03-01", MadeUp.Fact("Revenue", "FY2024", "2,000")).Json();
            var answers = await Task.WhenAll(PostWithKey($"race-{pair}", a), PostWithKey($"race-{pair}", b), PostWithKey($"race-{pair}", a));

            answers.Count(r => r.StatusCode == HttpStatusCode.Created).Should().BeGreaterThanOrEqualTo(1);
            answers.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.UnprocessableEntity
                                              || (r.StatusCode == HttpStatusCode.Conflict && r.Headers.RetryAfter != null));
            var recorded = (await app.GetJsonAsync($"/api/entities/RACE.{pair}/figures")).GetProperty("figures").GetArrayLength();
            recorded.Should().Be(1, "only the request that claimed the key ran");
        }
    }

    private Task<HttpResponseMessage> PostWithKey(string key, string json, HttpClient? client = null) =>
        (client ?? app.Client).SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/disclosures")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", key } },
        });

    [Fact]
    public async Task A_key_over_its_rate_limit_gets_429_with_Retry_After()
    {
        using var limited = app.ClientWith(LedgerApp.LimitedKey);
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i <= LedgerApp.LimitedPermitsPerMinute; i++) answers.Add(await limited.GetAsync("/api/entities"));

        answers.Take(LedgerApp.LimitedPermitsPerMinute).Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        var refused = answers[^1];
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeInRange(1, 60);
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await app.Client.GetAsync("/api/entities")).StatusCode.Should().Be(HttpStatusCode.OK, "limits are per key");
    }

    [Fact]
    public async Task Callers_without_a_key_are_limited_per_address_and_IPv6_callers_per_64_block()
    {
        await using var open = app.Variant(new Dictionary<string, string?>
        {
            ["Ledger:AllowAnonymousReads"] = "true", ["Ledger:RateLimit:PermitsPerMinute"] = "2",
        }, services => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new PeerAddressFromTestHeader()));
        using var anonymous = open.CreateClient();
        Task<HttpResponseMessage> From(string address)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/entities");
            request.Headers.Add(PeerAddressFromTestHeader.Header, address);
            return anonymous.SendAsync(request);
        }

        (await From("192.0.2.10")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await From("192.0.2.10")).StatusCode.Should().Be(HttpStatusCode.OK);
        var third = await From("192.0.2.10");
        third.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        third.Headers.RetryAfter.Should().NotBeNull();
        (await From("192.0.2.11")).StatusCode.Should().Be(HttpStatusCode.OK, "another address has its own count");

        (await From("2001:db8:0:7::1")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await From("2001:db8:0:7::ffff")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await From("2001:db8:0:7:abcd::2")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "one /64 is one caller: a host can use any address in it");
        (await From("2001:db8:0:8::1")).StatusCode.Should().Be(HttpStatusCode.OK, "the next /64 is another caller");
    }

    /// <summary>The test server has no network peer; this sets one from a header, ahead of the service's own middleware.</summary>
    private sealed class PeerAddressFromTestHeader : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public const string Header = "X-Test-Peer-Address";

        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, following) =>
            {
                if (http.Request.Headers.TryGetValue(Header, out var address)) http.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                await following(http);
            });
            next(app);
        };
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_document_without_internals()
    {
        var logs = new CapturedLogs();
        await using var failing = app.Variant(new Dictionary<string, string?>(), services =>
        {
            services.AddSingleton<TimeProvider>(new BrokenClock());
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
        });
        using var client = failing.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", LedgerApp.WriterKey);
        client.DefaultRequestHeaders.Add("X-Correlation-Id", "broken-clock-1");
        var before = await app.EventCountAsync();

        var response = await client.PostAsync("/api/disclosures",
            new StringContent(MadeUp.Package("FAIL.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1")).Json(), System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var body = await response.Content.ReadAsStringAsync();
        body.Should().NotContain(BrokenClock.Secret).And.NotContain("InvalidOperationException").And.NotContain(" at ").And.NotContain(".cs");
        (await LedgerApp.JsonOf(response)).GetProperty("correlationId").GetString().Should().Be("broken-clock-1");
        response.Headers.GetValues("X-Correlation-Id").Single().Should().Be("broken-clock-1");
        logs.Entries.Should().Contain(e => e.Message.Contains("unhandled", StringComparison.OrdinalIgnoreCase) && e.Exception != null
                                           && e.Scopes.Contains("CorrelationId=broken-clock-1"), "the log holds the details under the id the caller was given");
        (await app.EventCountAsync()).Should().Be(before);
    }

    private sealed class BrokenClock : TimeProvider
    {
        public const string Secret = "the clock's secret internals";
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException(Secret);
    }

    /// <summary>Every log line with the scopes it was written in.</summary>
    private sealed class CapturedLogs : Microsoft.Extensions.Logging.ILoggerProvider, Microsoft.Extensions.Logging.ISupportExternalScope
    {
        private Microsoft.Extensions.Logging.IExternalScopeProvider _scopes = new Microsoft.Extensions.Logging.LoggerExternalScopeProvider();
        public System.Collections.Concurrent.ConcurrentQueue<(string Message, Exception? Exception, List<string> Scopes)> Entries { get; } = new();
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string category) => new Logger(this);
        public void SetScopeProvider(Microsoft.Extensions.Logging.IExternalScopeProvider scopes) => _scopes = scopes;
        public void Dispose() { }

        private sealed class Logger(CapturedLogs owner) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);
            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel level) => true;
            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel level, Microsoft.Extensions.Logging.EventId id, TState state, Exception? exception, Func<TState, Exception?, string> format)
            {
                var scopes = new List<string>();
                owner._scopes.ForEachScope((scope, list) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object>> pairs) list.AddRange(pairs.Select(p => $"{p.Key}={p.Value}"));
                    else list.Add(scope?.ToString() ?? "");
                }, scopes);
                owner.Entries.Enqueue((format(state, exception), exception, scopes));
            }
        }
    }
}
