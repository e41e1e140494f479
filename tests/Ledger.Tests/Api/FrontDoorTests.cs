using System.Net;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Api;

/// <summary>What a person or a client meets first: the service's address, and the refusal of bodies it cannot take.</summary>
[Collection(LedgerCollection.Name)]
public class FrontDoorTests(LedgerApp app)
{
    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task The_root_address_takes_a_browser_to_the_workbench(string anonymousReads)
    {
        await using var host = app.Variant(new Dictionary<string, string?> { ["Ledger:AllowAnonymousReads"] = anonymousReads });
        using var browser = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await browser.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, "a person opening the address sees the workbench, not a JSON 401");
        response.Headers.Location!.ToString().Should().Be("/ui/entities");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")] // what curl --data-binary sends without -H
    [InlineData(null)]
    public async Task A_package_sent_as_anything_but_JSON_is_a_415_problem_naming_the_content_type_and_nothing_is_written(string? contentType)
    {
        var before = await app.EventCountAsync();
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(MadeUp.Package("CT.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1")).Json()));
        if (contentType is not null) content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);

        var response = await app.Client.PostAsync("/api/disclosures", content);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await LedgerApp.JsonOf(response);
        problem.GetProperty("status").GetInt32().Should().Be(415);
        problem.GetProperty("errors")[0].GetProperty("path").GetString().Should().Be("Content-Type");
        (await app.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_package_sent_as_JSON_with_a_charset_or_a_json_suffix_type_is_taken()
    {
        foreach (var (type, doc) in new[] { ("application/json; charset=utf-8", "AR2023"), ("application/vnd.ledger.package+json", "AR2024") })
        {
            var content = new StringContent(MadeUp.Package("CT.B", doc, "2024-03-01", MadeUp.Fact("Revenue", doc == "AR2023" ? "FY2023" : "FY2024", "1")).Json());
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
            (await app.Client.PostAsync("/api/disclosures", content)).StatusCode.Should().Be(HttpStatusCode.Created, type);
        }
    }
}
