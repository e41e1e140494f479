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
/// loads of different documents never conflict over the figures they share, nor over what they add to one entity; the
/// same document twice at once lands once, and so does one new entity registered by two documents at once.
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
    public async Task Two_documents_registering_one_new_entity_decided_at_once_land_one()
    {
        for (var round = 0; round < 3; round++)
        {
            var entity = $"CONC.NEW.{round}";
            var annual = MadeUp.Package(entity, "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
            var prospectus = MadeUp.Package(entity, "PR2024", "2024-05-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
            // Both decided before either is written, as two requests at once may be: each finds the entity new and registers it.
            var (first, second) = (await DecideAsync(annual), await DecideAsync(prospectus));
            first.Answer.Outcome.Should().Be(IngestionOutcome.Recorded);
            second.Answer.Outcome.Should().Be(IngestionOutcome.Recorded, "it was decided before the other was written");

            await first.Write!.ExecuteAsync(app.Store, CancellationToken.None);
            var late = () => second.Write!.ExecuteAsync(app.Store, CancellationToken.None);

            (await late.Should().ThrowAsync<ConcurrentPackageWrite>("it registers an entity another load registered meanwhile"))
                .Which.Answer.Outcome.Should().Be(IngestionOutcome.Conflict);
            await using (var session = app.Store.QuerySession())
            {
                (await session.Events.FetchStreamAsync(StreamKeys.Entity(entity))).Select(e => e.Data).OfType<EntityRegistered>()
                    .Should().ContainSingle("the entity is registered once");
                (await session.Events.FetchStreamAsync(StreamKeys.Document($"{entity}/PR2024"))).Should().BeEmpty("the load that lost recorded nothing");
            }
            (await IngestAsync(prospectus)).Outcome.Should().Be(IngestionOutcome.Recorded, "posted again, it is decided against the entity now registered");
        }
    }

    [Fact]
    public async Task Two_documents_of_a_known_entity_adding_policy_changes_at_once_both_land()
    {
        // What they add to the entity's stream only adds: neither decision can be made wrong by the other, so neither waits.
        for (var round = 0; round < 5; round++)
        {
            var entity = $"CONC.POLICY.{round}";
            (await IngestAsync(MadeUp.Package(entity, "AR2022", "2023-03-01", MadeUp.Fact("Revenue", "FY2022", "900"))))
                .Outcome.Should().Be(IngestionOutcome.Recorded);
            var annual = MadeUp.Package(entity, "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
            var prospectus = MadeUp.Package(entity, "PR2024", "2024-05-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
            foreach (var (package, id) in new[] { (annual, "CONC-LEASES"), (prospectus, "CONC-TAX") })
                package["policyChanges"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                {
                    ["id"] = id, ["title"] = id, ["effectiveFrom"] = "2023-01-01",
                });

            (await AtOnceAsync(annual, prospectus)).Select(r => r.Outcome).Should().AllBeEquivalentTo(IngestionOutcome.Recorded);
            await using var session = app.Store.QuerySession();
            (await session.Events.FetchStreamAsync(StreamKeys.Entity(entity))).Select(e => e.Data).OfType<AccountingPolicyChangeAdopted>()
                .Select(a => a.PolicyChange).Should().BeEquivalentTo(["CONC-LEASES", "CONC-TAX"]);
        }
    }

    /// <summary>The handler's steps up to its decision, without the write it returns: what a request decides before it writes.</summary>
    private Task<(IngestionResult Answer, PackageWrite? Write)> DecideAsync(System.Text.Json.Nodes.JsonObject package) =>
        new HandlerSteps(app.Store, Ledger.Domain.Concepts.ConceptCatalog.Default, TimeProvider.System)
            .DecideAsync(Encoding.UTF8.GetBytes(package.Json()), new Recording("concurrency-test", "concurrent loads"), CancellationToken.None);

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
