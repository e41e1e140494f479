using System.Net;
using System.Text.RegularExpressions;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Api;

/// <summary>The workbench's pages and assets tell the browser to run only our own code, never in a frame, and to leak no URL.</summary>
[Collection(LedgerCollection.Name)]
public partial class WorkbenchHeaderTests(LedgerApp app)
{
    [Theory]
    [InlineData("/ui/entities")]
    [InlineData("/ui/entities/688083.SH/figures/ProfitLossAttributableToOwnersOfParent/FY2022")]
    [InlineData("/ui/assets/app.js")]
    [InlineData("/ui/assets/charts.js")]
    [InlineData("/ui/assets/app.css")]
    [InlineData("/")]
    public async Task Workbench_responses_carry_a_content_security_policy_nosniff_no_framing_and_no_referrer(string url)
    {
        using var browser = app.ClientWith(null);
        var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

        response.StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.Redirect);
        var csp = Header(response, "Content-Security-Policy");
        csp.Should().Contain("default-src 'self'").And.Contain("frame-ancestors 'none'").And.Contain("object-src 'none'")
            .And.NotContain("unsafe-inline").And.NotContain("unsafe-eval");
        Header(response, "X-Content-Type-Options").Should().Be("nosniff");
        Header(response, "Referrer-Policy").Should().Be("no-referrer");
    }

    [Fact]
    public async Task API_responses_and_errors_may_load_nothing_and_are_never_sniffed()
    {
        foreach (var response in new[] { await app.Client.GetAsync("/api/entities"), await app.ClientWith(null).GetAsync("/api/entities") })
        {
            Header(response, "Content-Security-Policy").Should().Be("default-src 'none'; frame-ancestors 'none'");
            Header(response, "X-Content-Type-Options").Should().Be("nosniff");
        }
    }

    [Fact]
    public async Task The_pages_need_no_inline_script_or_style_so_the_policy_does_not_break_them()
    {
        using var browser = app.ClientWith(null);
        foreach (var url in new[] { "/ui/entities", "/ui/assets/app.js", "/ui/assets/charts.js" })
        {
            var text = await browser.GetStringAsync(url);
            InlineStyle().IsMatch(text).Should().BeFalse($"{url} has a style attribute, which style-src 'self' blocks");
            InlineHandler().IsMatch(text).Should().BeFalse($"{url} has an inline event handler, which script-src 'self' blocks");
            InlineScript().IsMatch(text).Should().BeFalse($"{url} has an inline script");
        }
    }

    [Fact]
    public async Task The_key_is_kept_for_the_browser_session_only()
    {
        var script = await app.ClientWith(null).GetStringAsync("/ui/assets/app.js");
        script.Should().Contain("sessionStorage.setItem(KEY_ITEM").And.Contain("sessionStorage.getItem(KEY_ITEM");
        Regex.IsMatch(script, @"localStorage\.(setItem|getItem)\((KEY_ITEM|'ledger\.apiKey')").Should().BeFalse("a key in localStorage outlives the session");
        script.Should().Contain("localStorage.removeItem(KEY_ITEM)", "a key an older version stored is removed");
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content) : "";

    [GeneratedRegex(@"\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyle();

    [GeneratedRegex(@"<[a-z][^>]*\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
