using System.Text;
using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Domain.Entities;
using Ledger.Domain.Events;
using Ledger.Domain.PolicyChanges;
using Ledger.Projections.Figures;
using Ledger.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Ledger.Tests.Ingestion;

/// <summary>
/// The concurrency rule of loading (README, "Concurrent loads"): a package is appended to its document's stream, so
/// loads of different documents never conflict over the figures they share; the same document twice at once lands once;
/// of two loads adding to one entity's stream at once (registering it, declaring a policy change), one lands and the
/// other is told to post again.
/// </summary>
[Collection(LedgerCollection.Name)]
public class ConcurrentLoadTests(LedgerApp app)
{
    [Fact]
    public async Task Two_documents_stating_the_same_figures_loaded_at_once_both_land()
    {
        for (var round = 0; round < 5; round++)
        {
            var entity = $"CONC.{round}";
            (await IngestAsync(MadeUp.Package(entity, "AR2022", "2023-03-01", MadeUp.Fact("Revenue", "FY2022", "900"))))
                .Outcome.Should().Be(IngestionOutcome.Recorded, "the entity is registered first: two loads registering it at once are another test's business");
            var annual = MadeUp.Package(entity, "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("ProfitLoss", "FY2023", "100"));
            var prospectus = MadeUp.Package(entity, "PR2024", "2024-05-01", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("ProfitLoss", "FY2023", "100"));

            var results = await AtOnceAsync(annual, prospectus);

            results.Select(r => r.Outcome).Should().AllBeEquivalentTo(IngestionOutcome.Recorded, "a figure two documents share is no reason to refuse either");
            await using var session = app.Store.QuerySession();
            foreach (var figure in new[] { $"{entity}|Revenue|FY2023|consolidated", $"{entity}|ProfitLoss|FY2023|consolidated" })
                (await FigureReads.LoadAsync(session, figure, CancellationToken.None))!.Statements.Select(s => s.Document.Id)
                    .Should().BeEquivalentTo([$"{entity}/AR2023", $"{entity}/PR2024"], figure);
        }
    }

    [Fact]
    public async Task Documents_restating_one_figure_loaded_at_once_give_views_a_rebuild_gives_again()
    {
        // Each restates the year before and prints its earlier value (调整前): the figure's rows come from both loads,
        // and a rebuild, which replays the events in their order, must fold them as the live view did.
        for (var round = 0; round < 5; round++)
        {
            var entity = $"CONC.CITE.{round}";
            (await IngestAsync(MadeUp.Package(entity, "AR2022", "2023-03-01", MadeUp.Fact("Revenue", "FY2022", "900"))))
                .Outcome.Should().Be(IngestionOutcome.Recorded);
            var annual = MadeUp.Package(entity, "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
            annual["restatements"] = new System.Text.Json.Nodes.JsonArray(MadeUp.Restatement("Revenue", "FY2022", "900", "950", $"{entity}/AR2022"));
            var prospectus = MadeUp.Package(entity, "PR2024", "2024-05-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
            prospectus["restatements"] = new System.Text.Json.Nodes.JsonArray(MadeUp.Restatement("Revenue", "FY2022", "900", "960", $"{entity}/AR2022"));

            (await AtOnceAsync(annual, prospectus)).Select(r => r.Outcome).Should().AllBeEquivalentTo(IngestionOutcome.Recorded);
        }
        var live = await StoredViews.DumpAsync(app.Database.ConnectionString);

        await ProjectionRebuild.RunAsync(app.Store, CancellationToken.None);

        var rebuilt = await StoredViews.DumpAsync(app.Database.ConnectionString);
        foreach (var table in ProjectionRebuild.ViewTables) rebuilt[table].Should().Equal(live[table], $"{table} rebuilt must equal {table} live");
    }

    [Fact]
    public async Task The_same_document_loaded_twice_at_once_lands_once()
    {
        for (var round = 0; round < 5; round++)
        {
            var entity = $"CONC.SAME.{round}";
            (await IngestAsync(MadeUp.Package(entity, "AR2022", "2023-03-01", MadeUp.Fact("Revenue", "FY2022", "900"))))
                .Outcome.Should().Be(IngestionOutcome.Recorded);
            var package = MadeUp.Package(entity, "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
            var otherwise = MadeUp.Package(entity, "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,001"));

            var results = await AtOnceAsync(package, otherwise);

            results.Count(r => r.Outcome == IngestionOutcome.Recorded).Should().Be(1, "one of the two lands");
            results.Single(r => r.Outcome != IngestionOutcome.Recorded).Outcome.Should().Be(IngestionOutcome.Conflict, "the other is told it lost, and records nothing");
            await using var session = app.Store.QuerySession();
            var statements = (await FigureReads.LoadAsync(session, $"{entity}|Revenue|FY2023|consolidated", CancellationToken.None))!.Statements;
            statements.Should().ContainSingle("the document states the figure once, in the package that landed");
        }
    }

    [Fact]
    public async Task Two_documents_registering_one_new_entity_at_once_land_one()
    {
        for (var round = 0; round < 5; round++)
        {
            var entity = $"CONC.NEW.{round}";
            var annual = MadeUp.Package(entity, "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
            var prospectus = MadeUp.Package(entity, "PR2024", "2024-05-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));

            var results = await AtOnceAsync(annual, prospectus);

            results.Select(r => r.Outcome).Should().BeEquivalentTo([IngestionOutcome.Recorded, IngestionOutcome.Conflict],
                "each was decided against a ledger without the entity, and registers it: the later finds it registered");
            results.Single(r => r.Outcome == IngestionOutcome.Conflict).Message.Should().Contain(StreamKeys.Entity(entity)).And.Contain("Post again");
            await using var session = app.Store.QuerySession();
            (await session.Events.FetchStreamAsync(StreamKeys.Entity(entity))).Select(e => e.Data).OfType<EntityRegistered>()
                .Should().ContainSingle("the entity is registered once");
            var lost = results.Single(r => r.Outcome == IngestionOutcome.Conflict).DocumentId!;
            (await session.Events.FetchStreamAsync(StreamKeys.Document(lost))).Should().BeEmpty("the load that lost recorded nothing");

            var again = lost == $"{entity}/AR2023" ? annual : prospectus;
            (await IngestAsync(again)).Outcome.Should().Be(IngestionOutcome.Recorded, "posted again, it is decided against the entity now registered");
        }
    }

    [Fact]
    public async Task Two_documents_declaring_one_policy_change_at_once_land_one()
    {
        for (var round = 0; round < 5; round++)
        {
            var entity = $"CONC.POLICY.{round}";
            (await IngestAsync(MadeUp.Package(entity, "AR2022", "2023-03-01", MadeUp.Fact("Revenue", "FY2022", "900"))))
                .Outcome.Should().Be(IngestionOutcome.Recorded);
            var annual = MadeUp.Package(entity, "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
            var prospectus = MadeUp.Package(entity, "PR2024", "2024-05-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
            foreach (var package in new[] { annual, prospectus })
                package["policyChanges"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                {
                    ["id"] = "CONC-LEASES", ["title"] = "Leases", ["effectiveFrom"] = "2023-01-01",
                });

            var results = await AtOnceAsync(annual, prospectus);

            results.Select(r => r.Outcome).Should().BeEquivalentTo([IngestionOutcome.Recorded, IngestionOutcome.Conflict],
                "both add to the entity's stream, each decided against it as it was before the other");
            await using var session = app.Store.QuerySession();
            (await session.Events.FetchStreamAsync(StreamKeys.Entity(entity))).Select(e => e.Data).OfType<AccountingPolicyChangeAdopted>()
                .Should().ContainSingle("the load that lost recorded nothing");
        }
    }

    /// <summary>Through the bus, as POST, the seed loader and the load command reach the handler; one scope a load, as one request.</summary>
    private async Task<IngestionResult> IngestAsync(System.Text.Json.Nodes.JsonObject package)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMessageBus>()
            .RecordAsync(Encoding.UTF8.GetBytes(package.Json()), new Recording("concurrency-test", "concurrent loads"), CancellationToken.None);
    }

    /// <summary>Starts every load on its own thread at one signal, so that their transactions overlap.</summary>
    private async Task<IngestionResult[]> AtOnceAsync(params System.Text.Json.Nodes.JsonObject[] packages)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loads = packages.Select(p => Task.Run(async () => { await start.Task; return await IngestAsync(p); })).ToArray();
        start.SetResult();
        return await Task.WhenAll(loads);
    }
}
