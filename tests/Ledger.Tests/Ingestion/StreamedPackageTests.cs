using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Ledger.Tests.Infrastructure;
using Xunit;

namespace Ledger.Tests.Ingestion;

/// <summary>
/// The handler reads a package's facts and restatements from its bytes one at a time (<see cref="PackageItems{T}"/>),
/// where the bulk load reads them all into memory first: both must plan the same events, in the same order, and refuse
/// a bad package with the same errors, paths included.
/// </summary>
public sealed class StreamedPackageTests
{
    private static readonly Recording Posted = new("streamed-test", "read both ways");

    private static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>The events planned, or the errors, when the facts are read from the bytes and when they are read into memory.</summary>
    private static ((List<PlannedEvent>? Events, int Count, PackageError[] Errors) Streamed, (List<PlannedEvent>? Events, PackageError[] Errors) InMemory)
        BothWays(byte[] body, LedgerContext? context = null)
    {
        var reader = new PackageReader(ConceptCatalog.Default);
        context ??= LedgerContext.Empty;
        var received = ReceivedPackage.Read(body, Posted, TimeProvider.System);
        var streamed = received.Refusal is { } refusal
            ? (null, 0, refusal.Errors!.ToArray())
            : reader.Read(received.Package!, context, received.Recording, received.Hash) is var (plan, errors)
                ? (plan?.Events.ToList(), plan?.EventCount ?? 0, errors.ToArray())
                : default;
        var (package, parseErrors) = ReceivedPackage.Parse(body);
        var inMemory = package is null
            ? (null, parseErrors)
            : reader.Read(package, context, received.Recording, received.Hash) is var (p, e) ? (p?.Events.ToList(), e.ToArray()) : default;
        return (streamed, inMemory);
    }

    private static void SameBothWays(byte[] body, bool valid, LedgerContext? context = null)
    {
        var (streamed, inMemory) = BothWays(body, context);
        streamed.Errors.Should().Equal(inMemory.Errors);
        if (!valid)
        {
            streamed.Errors.Should().NotBeEmpty();
            return;
        }
        streamed.Errors.Should().BeEmpty();
        streamed.Events.Should().NotBeNull().And.HaveCount(streamed.Count).And.HaveCount(inMemory.Events!.Count);
        streamed.Events.Should().BeEquivalentTo(inMemory.Events, o => o.WithStrictOrdering().RespectingRuntimeTypes());
    }

    [Theory]
    [InlineData("0268.HK-PR2023.json")]
    [InlineData("3896.HK-PR2024.json")]
    [InlineData("0020.HK-AR2023.json")]
    [InlineData("688083.SH-AR2023.json")]
    public void A_seed_document_plans_the_same_events_read_either_way(string seed)
    {
        var body = File.ReadAllBytes(Repository.File("data", "seeds", seed));
        // Its cited documents listed in the package or not yet in the ledger: valid against an empty ledger either way.
        SameBothWays(body, valid: true);
    }

    [Fact]
    public void Facts_restatements_reconciliations_and_calculations_come_in_the_same_order()
    {
        // Restatements only: the document's record opens its stream before them; reconciliations only: it comes last.
        var restating = MadeUp.Package("STRM.A", "AR2024", "2025-03-01");
        restating["facts"] = new JsonArray();
        restating["citedDocuments"] = new JsonArray(new JsonObject { ["id"] = "STRM.A/AR2023", ["publishedOn"] = "2024-03-01" });
        restating["restatements"] = new JsonArray(MadeUp.Restatement("Revenue", "FY2023", "1,000", "1,100", "STRM.A/AR2023"),
            MadeUp.Restatement("ProfitLoss", "FY2023", "100", "90", "STRM.A/AR2023"));
        SameBothWays(Bytes(restating.Json()), valid: true);

        var withCalculations = MadeUp.Package("STRM.B", "AR2024", "2025-03-01", MadeUp.Fact("Revenue", "FY2024", "1,000"), MadeUp.Fact("CostOfSales", "FY2024", "(600)"));
        withCalculations["calculations"] = JsonNode.Parse("""[{"total":"GrossProfit","members":[{"concept":"Revenue"},{"concept":"CostOfSales","weight":-1}]}]""");
        SameBothWays(Bytes(withCalculations.Json()), valid: true);

        // Comments, trailing commas and a property name in another case, as the reader of the whole package allows them.
        var loose = """
            { "document": {"id":"STRM.C/AR2024","entity":"STRM.C","kind":"annual-report","title":"t","language":"en","publishedOn":"2025-03-01"},
              "entities": [{"id":"STRM.C","names":{"en":"C"},"standard":"IFRS","currency":"CNY"}],
              "Facts": [ /* first */ {"concept":"Revenue","period":"FY2024","printed":"1,000","scale":"units","unit":"CNY"},
                         // second
                         {"concept":"ProfitLoss","period":"FY2024","value":"100","decimals":0,"unit":"CNY"}, ], }
            """;
        SameBothWays(Bytes(loose), valid: true);
        BothWays(Bytes(loose)).Streamed.Count.Should().Be(4, "the entity, the document and its two facts");
    }

    [Theory]
    // Not facts: each is named by the path a read of the whole package gives.
    [InlineData("""[{"concept":5,"period":"FY2024","printed":"1","unit":"CNY"}]""")]
    [InlineData("""[{"concept":"Revenue","period":"FY2024","printed":"1","unit":"CNY"}, 7]""")]
    [InlineData("""[{"concept":"Revenue","period":"FY2024","printed":"1","unit":"CNY","dims":{"segment":3}}]""")]
    [InlineData("""[{"concept":"Revenue","period":"FY2024","value":"1","decimals":"two","unit":"CNY"}]""")]
    [InlineData("""[{"concept":"Revenue","period":"FY2024","printed":"1","unit":"CNY","location":[1]}]""")]
    [InlineData("""{"concept":"Revenue"}""")]
    [InlineData("7")]
    // Facts, but bad ones: every error collected, in order.
    [InlineData("""[null, {"concept":"Nonsense","period":"FY2024","printed":"1","unit":"CNY"}, {"concept":"Revenue","period":"FY20x","printed":"x","unit":"CNY"}]""")]
    public void A_bad_fact_is_refused_with_the_same_errors_read_either_way(string facts)
    {
        var package = MadeUp.Package("STRM.D", "AR2024", "2025-03-01");
        package["facts"] = JsonNode.Parse(facts);
        SameBothWays(Bytes(package.Json()), valid: false);
    }

    [Fact]
    public void A_bad_restatement_is_refused_with_the_same_errors_read_either_way()
    {
        var package = MadeUp.Package("STRM.E", "AR2024", "2025-03-01", MadeUp.Fact("Revenue", "FY2024", "1,000"));
        package["restatements"] = JsonNode.Parse("""[{"concept":"Revenue","period":"FY2023","before":"1,000","after":{"printed":"1,100"}}]""");
        SameBothWays(Bytes(package.Json()), valid: false);
        BothWays(Bytes(package.Json())).Streamed.Errors.Single().Path.Should().Be("$.restatements[0].before");
    }

    [Fact]
    public void Absent_or_null_facts_are_none_read_either_way()
    {
        var package = MadeUp.Package("STRM.F", "AR2024", "2025-03-01");
        package["facts"] = null;
        SameBothWays(Bytes(package.Json()), valid: true);
        package.Remove("facts");
        SameBothWays(Bytes(package.Json()), valid: true);
    }

    [Fact]
    public async Task A_plan_read_from_the_bytes_keeps_no_fact_and_reads_them_again_each_time()
    {
        var facts = Enumerable.Range(0, 500).Select(i => MadeUp.Dimensioned(MadeUp.Fact("Revenue", "FY2024", $"{i + 1:N0}"), $"s{i}")).ToArray();
        var received = ReceivedPackage.Read(Bytes(MadeUp.Package("STRM.G", "AR2024", "2025-03-01", facts).Json()), Posted, TimeProvider.System);
        received.Package!.Facts.Should().BeOfType<PackageItems<PackageFact>>().Which.Count.Should().Be(500);
        var (plan, errors) = new PackageReader(ConceptCatalog.Default).Read(received.Package!, LedgerContext.Empty, received.Recording, received.Hash);
        errors.Should().BeEmpty();
        plan!.Events.Should().NotBeAssignableTo<ICollection<PlannedEvent>>("a streamed package's events are read again, not kept");
        plan.EventCount.Should().Be(502);
        // Two enumerations at once (the write and the package's record, on two threads) each read the whole package.
        var twice = await Task.WhenAll(Task.Run(() => plan.Events.ToList()), Task.Run(() => plan.Events.ToList()));
        twice[0].Should().BeEquivalentTo(twice[1], o => o.WithStrictOrdering().RespectingRuntimeTypes()).And.HaveCount(502);
        plan.RegisteredEntities.Should().Equal("STRM.G");
    }
}
