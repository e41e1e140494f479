using Ledger.BrowserTests.Infrastructure;
using OpenQA.Selenium;

namespace Ledger.BrowserTests;

/// <summary>
/// The auditor's workbench in a real browser, against the real service and the seed data: every page shows
/// the seed figures, links lead where an auditor expects, the as-of date changes what is shown, and every
/// page leaves a screenshot in the test output (bin/…/screenshots).
/// </summary>
[Collection(WorkbenchCollection.Name)]
public sealed class WorkbenchPageTests(Workbench w)
{
    private const string Zwsoft = "688083.SH";
    private const string NetProfitAttributable = "688083.SH|ProfitLossAttributableToOwnersOfParent|FY2022|consolidated";
    private static readonly string Before = Seeds.Restatement("688083.SH/AR2023", "ProfitLossAttributableToOwnersOfParent", "FY2022").GetProperty("before").GetProperty("printed").GetString()!;
    private static readonly string After = Seeds.Restatement("688083.SH/AR2023", "ProfitLossAttributableToOwnersOfParent", "FY2022").GetProperty("after").GetProperty("printed").GetString()!;
    private static readonly string PolicyTitle = Seeds.Package("688083.SH/AR2023").GetProperty("policyChanges")[0].GetProperty("title").GetString()!;
    private static readonly string RestatingPublished = Seeds.Package("688083.SH/AR2023").GetProperty("document").GetProperty("publishedOn").GetString()!;

    [Fact]
    public void The_seed_values_these_tests_rely_on_are_the_reported_ones()
    {
        Before.Should().Be("6,301,756.60");
        After.Should().Be("6,003,513.77");
        PolicyTitle.Should().Contain("解释第16号");
        RestatingPublished.Should().Be("2024-04-26");
    }

    [Fact]
    public void Entities_page_lists_every_seed_company_with_its_figures_restatements_and_failing_checks()
    {
        w.Open("/ui/entities?lang=zh");

        var rows = w.FindAll("#entities tbody tr").ToDictionary(r => r.GetDomAttribute("data-entity") ?? "");
        rows.Keys.Should().BeEquivalentTo([.. Seeds.Entities.Keys, Workbench.SecFiler]);
        rows.Remove(Workbench.SecFiler, out var filer);
        filer!.Text.Should().Contain("SNOWFLAKE INC.");
        rows[Zwsoft].Text.Should().Contain(Seeds.Entities[Zwsoft].GetProperty("names").GetProperty("zh-Hans").GetString());
        foreach (var (entity, row) in rows)
        {
            var cells = row.FindElements(By.TagName("td")).Select(c => c.Text).ToList();
            int.Parse(cells[4]).Should().BePositive($"{entity} has figures");
            var seedRestatements = Seeds.Packages.Where(p => p.GetProperty("document").GetProperty("entity").GetString() == entity)
                .Sum(p => p.GetProperty("restatements").GetArrayLength());
            int.Parse(cells[5]).Should().BeInRange(seedRestatements == 0 ? 0 : 1, seedRestatements, $"{entity}'s restated figures come from its seed restatements");
        }
        // The README's table of the seven inconsistencies in the seed documents: four are ZWSOFT's (Interpretation No. 16's
        // 2023 effects do not roll forward, seed 004 lines 5421–5438; the equity-method income total, 6596–6598; two
        // revenue increases printed a cent off, 1276 and 1277); its unadjusted 2021 year-end column is a quotation of the
        // 2022 report, not a second value.
        rows[Zwsoft].FindElements(By.TagName("td"))[6].Text.Should().Be("4");
        // Every figure counted, not a first page of the figure list (ZWSOFT states over a thousand).
        int.Parse(rows[Zwsoft].FindElements(By.TagName("td"))[4].Text).Should().BeGreaterThan(1000);
        w.Screenshot("entities");

        rows[Zwsoft].FindElement(By.LinkText(Zwsoft)).Click();
        w.WaitUntilDrawn();
        w.Path().Should().Be($"/ui/entities/{Zwsoft}");
        w.Text().Should().Contain("CAS-INTERP-16").And.Contain("FY2022");
    }

    [Fact]
    public void An_imported_SEC_filer_is_browsed_like_the_seeds_by_its_own_fiscal_years()
    {
        w.Open($"/ui/entities/{Workbench.SecFiler}?lang=en");
        // Snowflake's FY2024 ran from 1 February 2023 to 31 January 2024 (its 10-K of 2024-03-26).
        w.Find("main").FindElement(By.PartialLinkText("FY2024 (2023-02-01..2024-01-31)")).Click();
        w.Until(() => w.Path() == $"/ui/entities/{Workbench.SecFiler}/statements/2023-02-01..2024-01-31", "the statement URL");
        w.WaitUntilDrawn();
        const string revenue = "CIK0001640147|us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax|2023-02-01..2024-01-31|consolidated";
        Row(revenue).FindElement(By.CssSelector("td.current")).Text.Should().Contain("2,806,489,000");
        w.Screenshot("sec-filer-statement");

        // A value the next filing restated: cash equivalents at 31 January 2023, 398,346,000 (10-K, 2023-03-29), then
        // 539,390,000 (10-Q, 2023-06-02).
        w.Open($"/ui/entities/{Workbench.SecFiler}/figures/us-gaap:CashEquivalentsAtCarryingValue/2023-01-31?lang=en");
        var entries = w.FindAll("#history tbody tr").ToList();
        entries[0].FindElement(By.CssSelector("td.value")).Text.Should().Be("398,346,000");
        entries[1].FindElement(By.CssSelector("td.value")).Text.Should().Be("539,390,000");
        entries[1].Text.Should().Contain("restated").And.Contain("CIK0001640147/0001640147-23-000102").And.Contain("2023-06-02");
        w.Find("svg.timeline").FindElements(By.CssSelector("circle.point")).Should().HaveCount(entries.Count);
        w.Screenshot("sec-filer-timeline");
    }

    [Fact]
    public void The_annual_report_shows_its_statements_as_printed_with_both_years_and_the_equity_grid()
    {
        w.Open($"/ui/entities/{Zwsoft}?lang=zh");
        w.Find("#documents").FindElement(By.PartialLinkText("688083.SH/AR2023")).Click();
        w.Until(() => w.Path() == $"/ui/entities/{Zwsoft}/documents/AR2023", "the document URL");
        w.WaitUntilDrawn();
        var tables = w.Find("#tables");
        foreach (var statement in new[] { "合并资产负债表", "母公司资产负债表", "合并利润表", "母公司利润表", "合并现金流量表", "母公司现金流量表", "合并所有者权益变动表", "母公司所有者权益变动表" })
            tables.FindElements(By.PartialLinkText(statement)).Should().NotBeEmpty($"the report prints its {statement}");
        w.Screenshot("document-tables");

        // The consolidated balance sheet, both year ends as printed (seed 004 line 3746: 货币资金 588,914,660.67 486,985,062.76).
        tables.FindElement(By.PartialLinkText("合并资产负债表")).Click();
        w.Until(() => w.Path() == $"/ui/entities/{Zwsoft}/documents/AR2023/tables/3746", "the balance sheet URL");
        w.WaitUntilDrawn();
        w.Find("#printed thead").Text.Should().Contain("2023年12月31日").And.Contain("2022年12月31日");
        var cash = w.Find("#printed tr[data-line='3746']");
        cash.Text.Should().Contain("货币资金").And.Contain("588,914,660.67").And.Contain("486,985,062.76");
        w.Screenshot("document-balance-sheet");

        // The statement of changes in equity as its grid; the 2022 report's surplus reserve (line 4190) is marked as
        // restated by the policy change (line 4194: 33,738,465.28).
        w.Open($"/ui/entities/{Zwsoft}/documents/AR2023/tables/4190?lang=zh");
        w.Find("#printed thead").Text.Should().Contain("盈余公积").And.Contain("所有者权益合计");
        var opening = w.Find("#printed tr[data-line='4190']");
        var reserve = opening.FindElement(By.CssSelector("span.restated"));
        reserve.Text.Should().Contain("33,768,993.87");
        reserve.GetDomAttribute("title").Should().Contain("688083.SH/AR2022").And.Contain("33,738,465.28");
        w.Find("#printed tr[data-line='4194']").Text.Should().Contain("33,738,465.28").And.Contain("2,732,712,392.70");
        w.Screenshot("document-equity-statement");
    }

    [Fact]
    public void Statement_shows_the_restated_net_profit_in_both_columns_with_the_reason_and_the_document()
    {
        w.Open($"/ui/entities/{Zwsoft}/statements/FY2022?lang=zh");

        var row = Row(NetProfitAttributable);
        row.FindElement(By.CssSelector("td.current")).Text.Should().Contain(After);
        row.FindElement(By.CssSelector("td.original")).Text.Should().Contain(Before);
        row.FindElement(By.CssSelector("td.current")).GetDomAttribute("class").Should().Contain("restated");
        row.FindElement(By.CssSelector("td.current")).GetDomAttribute("title").Should().Contain("CAS-INTERP-16");
        w.Find("thead").Text.Should().Contain("调整后").And.Contain("调整前");

        row.FindElement(By.CssSelector("button.why")).Click();
        var panel = w.Until(() => w.Find("#panel") is { Displayed: true } p ? p : null, "the reason panel");
        panel.Text.Should().Contain("CAS-INTERP-16").And.Contain(PolicyTitle).And.Contain("688083.SH/AR2023")
            .And.Contain(Before).And.Contain(After);
        w.Screenshot("statement");

        // Keyboard: Escape closes the panel and gives focus back to the button that opened it.
        panel.SendKeys(Keys.Escape);
        w.Until(() => !w.Find("#panel").Displayed, "the panel to close");
        w.Driver.SwitchTo().ActiveElement().GetDomAttribute("class").Should().Contain("why");
    }

    [Fact]
    public void From_the_statement_the_keyboard_leads_to_the_figure_timeline_with_each_step_and_its_reason()
    {
        w.Open($"/ui/entities/{Zwsoft}/statements/FY2022?lang=zh");

        Row(NetProfitAttributable).FindElement(By.CssSelector("td:first-child a")).SendKeys(Keys.Enter);
        w.Until(() => w.Path() == $"/ui/entities/{Zwsoft}/figures/ProfitLossAttributableToOwnersOfParent/FY2022", "the timeline URL");
        w.WaitUntilDrawn();

        var entries = w.FindAll("#history tbody tr").ToList();
        entries.Should().HaveCount(2);
        entries[0].FindElement(By.CssSelector("td.value")).Text.Should().Be(Before);
        entries[1].FindElement(By.CssSelector("td.value")).Text.Should().Be(After);
        entries[1].FindElement(By.CssSelector("td.reason")).Text.Should().Contain("CAS-INTERP-16").And.Contain(PolicyTitle);
        entries[1].Text.Should().Contain(RestatingPublished);

        var chart = w.Find("svg.timeline");
        chart.FindElements(By.CssSelector("circle.point")).Should().HaveCount(2);
        chart.FindElement(By.CssSelector("text.step-label")).Text.Should().Contain("CAS-INTERP-16");
        chart.Text.Should().Contain(Before).And.Contain(After);
        w.Screenshot("figure-timeline");
    }

    [Fact]
    public void Changing_the_as_of_date_redraws_the_statement_as_known_on_that_date()
    {
        w.Open($"/ui/entities/{Zwsoft}/statements/FY2022?lang=zh");
        Row(NetProfitAttributable).FindElement(By.CssSelector("td.current")).Text.Should().Contain(After);

        // Before the 2023 report restated it, the ledger knew only the 2022 report's figure.
        SetAsOf("06", "30", "2023");
        w.Until(() => new Uri(w.Driver.Url).Query.Contains("asOf=2023-06-30"), "the as-of date in the URL");
        w.WaitUntilDrawn();
        var old = Row(NetProfitAttributable).FindElement(By.CssSelector("td.current"));
        old.Text.Should().Be(Before);
        old.GetDomAttribute("class").Should().NotContain("restated");
        w.Find("#known").Text.Should().Contain("2023-06-30");
        w.Screenshot("statement-as-of-2023-06-30");

        // The deep link survives a reload: an auditor can paste it into a working paper.
        w.Driver.Navigate().Refresh();
        w.WaitUntilDrawn();
        Row(NetProfitAttributable).FindElement(By.CssSelector("td.current")).Text.Should().Be(Before);

        SetAsOf("05", "01", "2024");
        w.Until(() => new Uri(w.Driver.Url).Query.Contains("asOf=2024-05-01"), "the new as-of date in the URL");
        w.WaitUntilDrawn();
        Row(NetProfitAttributable).FindElement(By.CssSelector("td.current")).Text.Should().Contain(After);
    }

    [Fact]
    public void Non_gaap_page_draws_the_bridge_as_a_waterfall_with_its_verdict()
    {
        var seed = Seeds.NonGaapReconciliation("0020.HK/AR2023", "AdjustedEbitda", "FY2023", "CNY");
        seed.GetProperty("scale").GetString().Should().Be("millions");
        seed.GetProperty("total").GetProperty("printed").GetString().Should().Be("(4,369.0)");

        w.Open("/ui/entities/0020.HK/non-gaap/AdjustedEbitda/FY2023?lang=zh");

        var section = w.Find("section.reconciliation");
        section.FindElement(By.CssSelector("strong.reported")).Text.Should().Be("-4,369,000,000");
        section.FindElement(By.CssSelector("strong.recomputed")).Text.Should().Be("-4,369,100,000");
        section.FindElement(By.CssSelector("h2 .verdict")).Text.Should().Be("consistent-within-rounding");
        // The start, each printed adjustment and the total are bars; the printed lines are all in the table.
        section.FindElements(By.CssSelector("svg.waterfall rect.bar")).Should().HaveCount(seed.GetProperty("adjustments").GetArrayLength() + 2);
        section.FindElements(By.CssSelector("svg.waterfall line.reported")).Should().HaveCount(1);
        foreach (var adjustment in seed.GetProperty("adjustments").EnumerateArray())
            section.Text.Should().Contain(adjustment.GetProperty("label").GetString()).And.Contain(adjustment.GetProperty("printed").GetString());
        w.Screenshot("non-gaap-waterfall");
    }

    [Fact]
    public void Policy_change_page_shows_before_adjustment_after_and_each_identity_passing_or_failing()
    {
        w.Open($"/ui/entities/{Zwsoft}/policy-changes/CAS-INTERP-16?lang=zh");

        w.Find("h1").Text.Should().Contain(PolicyTitle);
        var opening = w.FindAll("table.policy-date tbody tr").Select(r => r.Text).ToList();
        // Equity attributable at 2021 year-end, adjusted by Interpretation No. 16 (seed: equity statement, line 4227).
        opening.Should().Contain(r => r.Contains("2,812,356,703.50") && r.Contains("372,328.68") && r.Contains("2,812,729,032.18"));
        var identities = w.FindAll("#identities tbody tr").ToList();
        identities.Should().Contain(r => r.GetDomAttribute("class") == "pass");
        // The README's known inconsistency: the 2023 year-end effect is not the 2022 effect plus the 2023 profit effect.
        identities.Where(r => r.GetDomAttribute("class") == "fail").Select(r => r.Text).Should().ContainSingle().Which
            .Should().Contain("equity-rolls-forward");
        w.Screenshot("policy-change");
    }

    [Fact]
    public void Checks_page_lists_failing_and_indeterminate_checks_with_links_to_the_figures()
    {
        w.Open($"/ui/checks?entity={Zwsoft}&lang=zh");

        var findings = w.FindAll("#findings tbody tr").ToList();
        findings.Count(r => r.GetDomAttribute("class")!.Contains("inconsistent")).Should().Be(4,
            "seed 004 lines 5421–5438, 6596–6598, 1276 and 1277, the README's table");
        findings.Should().Contain(r => r.GetDomAttribute("class")!.Contains("indeterminate"));
        var rollForward = findings.Single(r => r.Text.Contains("equity-rolls-forward"));
        rollForward.Text.Should().Contain("61485.18");
        w.Screenshot("checks");

        var link = rollForward.FindElement(By.PartialLinkText("ProfitLoss FY2023"));
        link.Click();
        w.Until(() => w.Path() == $"/ui/entities/{Zwsoft}/figures/ProfitLoss/FY2023", "the figure's timeline");
        w.WaitUntilDrawn();
        w.FindAll("#history tbody tr").Should().NotBeEmpty();
    }

    [Fact]
    public void Labels_switch_between_Chinese_and_English_and_the_choice_is_in_the_url()
    {
        w.Open($"/ui/entities/{Zwsoft}/statements/FY2022?lang=zh");
        Row(NetProfitAttributable).FindElement(By.CssSelector("td:first-child a")).Text.Should().Be("归属于上市公司股东的净利润");

        w.Find("#lang-en").Click();
        w.Until(() => new Uri(w.Driver.Url).Query.Contains("lang=en"), "lang=en in the URL");
        w.WaitUntilDrawn();
        Row(NetProfitAttributable).FindElement(By.CssSelector("td:first-child a")).Text.Should().Be("Profit loss attributable to owners of parent");
        w.Find("thead").Text.Should().Contain("Current (调整后)").And.Contain("As reported (调整前)");

        w.Driver.Navigate().Refresh();
        w.WaitUntilDrawn();
        w.Find("nav").Text.Should().Contain("Entities").And.Contain("Checks");
        w.Find("#lang-zh").Click();
        w.Until(() => new Uri(w.Driver.Url).Query.Contains("lang=zh"), "lang=zh in the URL");
    }

    [Fact]
    public void A_stored_API_key_travels_with_every_request_the_pages_make()
    {
        try
        {
            StoredKeyTravels();
        }
        finally
        {
            // The browser is shared by the class: a key left behind would go with every later test's requests.
            ((IJavaScriptExecutor)w.Driver).ExecuteScript("sessionStorage.removeItem('ledger.apiKey');");
        }
    }

    private void StoredKeyTravels()
    {
        w.Open("/ui/entities?lang=en");
        w.Find("details.key summary").Click();
        w.Find("#api-key").SendKeys(Workbench.AuditorKey);
        w.Find("#key-form button").Click();
        w.WaitUntilDrawn();
        // Watch the page's own requests from here on; in-page navigation keeps the watcher.
        ((IJavaScriptExecutor)w.Driver).ExecuteScript("""
            window.seenRequests = [];
            const original = window.fetch;
            window.fetch = (url, init) => { window.seenRequests.push({ url: String(url), key: new Headers(init?.headers).get('X-Api-Key') }); return original(url, init); };
            """);
        w.Find($"tr[data-entity='{Zwsoft}'] a").Click();
        w.Until(() => w.Path() == $"/ui/entities/{Zwsoft}", "the entity page");
        w.WaitUntilDrawn();

        var seen = (IReadOnlyCollection<object>)((IJavaScriptExecutor)w.Driver).ExecuteScript("return window.seenRequests.map(r => r.url + ' ' + r.key);")!;
        seen.Should().NotBeEmpty().And.OnlyContain(r => ((string)r).EndsWith(" " + Workbench.AuditorKey));
    }

    [Fact]
    public async Task Page_routes_are_served_to_anyone_and_are_not_API_operations()
    {
        using var http = new HttpClient { BaseAddress = new Uri(w.BaseUrl) };
        var shell = await http.GetAsync($"/ui/entities/{Zwsoft}/statements/FY2022?asOf=2023-06-30");
        shell.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        shell.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await http.GetStringAsync("/openapi/v1.json")).Should().NotContain("\"/ui");
    }

    private IWebElement Row(string figure) =>
        w.Until(() => w.FindAll($"tr[data-figure='{figure}']").FirstOrDefault(), $"the statement row of {figure}");

    /// <summary>Types a date into the date picker as a keyboard user would (the browser runs in en-US: mm dd yyyy), then applies it.</summary>
    private void SetAsOf(string month, string day, string year)
    {
        var input = w.Find("#as-of");
        ((IJavaScriptExecutor)w.Driver).ExecuteScript("arguments[0].value = ''; arguments[0].focus();", input);
        input.SendKeys(month + day + year);
        input.GetDomProperty("value").Should().Be($"{year}-{month}-{day}");
        w.Find("#as-of-apply").SendKeys(Keys.Enter);
    }
}
