using System.Net;
using System.Text.Json.Nodes;
using Ledger.Api.Database;
using Ledger.Projections.Figures;
using Ledger.Projections.Statements;
using Ledger.Tests.Audit;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Ledger.Projections.Documents;
using Ledger.Projections.Entities;
using Ledger.Projections.NonGaap;

namespace Ledger.Tests.Views;

[Collection(LedgerCollection.Name)]
public class RebuildTests(LedgerApp app)
{
    private static readonly IReadOnlyList<string> ViewTables = ProjectionRebuild.ViewTables;

    [Fact]
    public async Task Rebuilding_every_projection_from_the_event_log_gives_byte_identical_views()
    {
        foreach (var package in RandomPackages(seed: 20261123))
        {
            var response = await app.PostPackageAsync(package.Json());
            response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }
        await CorrectATranscriptionAsync();
        var live = await StoredViews.DumpAsync(app.Database.ConnectionString);
        await DamageViewsAsync();

        await ProjectionRebuild.RunAsync(app.Store, CancellationToken.None);

        var rebuilt = await StoredViews.DumpAsync(app.Database.ConnectionString);
        live.Keys.Should().BeEquivalentTo(ViewTables);
        live[StatedValueTables.StatedValues].Count.Should().BeGreaterThan(500, "the seeds and the random packages are all there");
        foreach (var table in ViewTables) rebuilt[table].Should().Equal(live[table], $"{table} rebuilt must equal {table} live");
    }

    [Fact]
    public void The_views_compared_are_every_table_the_registered_projections_write()
    {
        // Derived from the store's registrations (MartenSetup.Configure): the documents each projection publishes and the
        // tables its registration empties on a rebuild. Listed here so that a view leaving the comparison is noticed.
        ViewTables.Should().BeEquivalentTo([
            StatedValueTables.StatedValues, StatedValueTables.TranscriptionCorrections, StatementLineTable.Name,
            "mt_doc_documentsummary", "mt_doc_entityprofile", "mt_doc_entitycalculations", "mt_doc_nongaapreconciliationview",
            Ledger.Projections.Checks.CheckTables.Findings, Ledger.Projections.Checks.CheckTables.State]);
    }

    [Fact]
    public async Task A_rebuild_leaves_the_planner_statistics_of_the_rows_it_wrote()
    {
        const string analyzed = $"select analyze_count from pg_stat_user_tables where schemaname = '{MartenSetup.Schema}' and relname = '{StatedValueTables.StatedValues}'";
        var before = await AuditLedgers.ScalarAsync<long>(app.Database.ConnectionString, analyzed);

        await ProjectionRebuild.RunAsync(app.Store, CancellationToken.None);

        (await AuditLedgers.ScalarAsync<long>(app.Database.ConnectionString, analyzed))
            .Should().BeGreaterThan(before, "the rebuild analyzes the table it filled, not autovacuum later");
    }

    [Fact]
    public async Task Every_view_the_daemon_replays_reads_the_log_in_large_pages_by_the_event_type_index()
    {
        // Each registered view, a view added later too, is set by MartenSetup (RebuildPages.ApplyTo), not by its registration.
        var projections = ((Marten.StoreOptions)app.Store.Options).Projections.All;
        projections.Should().HaveCountGreaterThan(5);
        foreach (var projection in projections)
            ((JasperFx.Events.Projections.ProjectionBase)projection).Options.BatchSize.Should().Be(Ledger.Projections.RebuildPages.Size, projection.Name);

        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select indexdef from pg_indexes where schemaname = $1 and tablename = 'mt_events' and indexdef like '%(type, seq_id)%'", connection)
        {
            Parameters = { new() { Value = MartenSetup.Schema } },
        };
        (await command.ExecuteScalarAsync()).Should().NotBeNull("the daemon's pages of rare event types are read by this index");
    }

    [Fact]
    public async Task The_rebuild_endpoint_is_closed_to_a_writer_and_rebuilds_for_an_admin()
    {
        await CorrectATranscriptionAsync();
        var before = await StoredViews.DumpAsync(app.Database.ConnectionString);
        await DamageViewsAsync();
        using var writer = app.ClientWith(LedgerApp.WriterKey);
        (await writer.PostAsync("/api/admin/rebuild", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await StoredViews.DumpAsync(app.Database.ConnectionString)).Should().NotBeEquivalentTo(before, "the writer's request rebuilt nothing");

        var response = await app.Client.PostAsync("/api/admin/rebuild", null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await LedgerApp.JsonOf(response)).GetProperty("rebuilt").EnumerateArray().Select(r => r.GetProperty("projection").GetString())
            .Should().BeEquivalentTo(["StatedValues", "NonGaapReconciliationView", "DocumentSummary", "EntityProfile", "EntityCalculations", "CheckFreshness"]);
        await ExpectViewsAsync(before);
    }

    [Fact]
    public async Task Views_stored_by_another_version_are_rebuilt_when_the_service_starts()
    {
        await CorrectATranscriptionAsync();
        var before = await StoredViews.DumpAsync(app.Database.ConnectionString);
        await DamageViewsAsync();
        await RestartWithViewsOfVersionAsync("an-older-shape", before);

        await using var query = app.Store.QuerySession();
        (await query.LoadAsync<StoredViewsVersion>("views"))!.Version.Should().Be(ProjectionRebuild.ViewsVersion);
    }

    [Fact]
    public async Task Stated_values_stored_whole_as_JSON_by_an_older_build_are_rebuilt_into_columns_when_the_service_starts()
    {
        await CorrectATranscriptionAsync();
        var before = await StoredViews.DumpAsync(app.Database.ConnectionString);
        // As a build before 2026-12-05 left the table: each value whole in a required JSON column, without the columns
        // of its recording and history details.
        const string table = $"{MartenSetup.Schema}.{StatedValueTables.StatedValues}";
        await using (var connection = new NpgsqlConnection(app.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"alter table {table} add column statement json; " +
                $"update {table} set statement = json_build_object('recording', json_build_object('recordedBy', recorded_by, 'reason', recording_reason)); " +
                $"alter table {table} alter column statement set not null; " +
                $"alter table {table} drop column recorded_by, drop column recorded_at, drop column recording_reason, drop column correlation_id, drop column history_details",
                connection);
            await command.ExecuteNonQueryAsync();
        }
        await RestartWithViewsOfVersionAsync("2026-12-03.statement-columns", before);

        const string column = $"select count(*) from information_schema.columns where table_schema = '{MartenSetup.Schema}' " +
            $"and table_name = '{StatedValueTables.StatedValues}' and column_name = 'statement'";
        // Marten's schema check at start drops it (a column the table no longer declares) and adds the new ones, before
        // the views are rebuilt.
        (await AuditLedgers.ScalarAsync<long>(app.Database.ConnectionString, column)).Should().Be(0, "the old column is gone");
        await using (var query = app.Store.QuerySession())
            (await query.LoadAsync<StoredViewsVersion>("views"))!.Version.Should().Be(ProjectionRebuild.ViewsVersion, "the views were rebuilt");
        (await app.PostPackageAsync(MadeUp.Package("RND.AFTER", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "5")).Json()))
            .StatusCode.Should().Be(HttpStatusCode.Created, "values are written as before");
    }

    [Fact]
    public async Task The_rebuild_command_rebuilds_the_views_of_the_configured_database()
    {
        await CorrectATranscriptionAsync();
        var before = await StoredViews.DumpAsync(app.Database.ConnectionString);
        await DamageViewsAsync();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ledger"] = app.Database.ConnectionString,
        }).Build();

        (await RebuildCommand.RunAsync(config)).Should().Be(0);

        await ExpectViewsAsync(before);
    }

    [Fact]
    public async Task Readers_never_see_a_404_for_an_existing_figure_while_the_views_are_rebuilt()
    {
        // seed 004 line 239: ZWSOFT FY2022 net profit attributable, 6,003,513.77 after Interpretation No. 16.
        const string url = "/api/entities/688083.SH/figures/ProfitLossAttributableToOwnersOfParent/FY2022";
        using var reader = app.ClientWith(LedgerApp.ReaderKey);
        var rebuild = app.Client.PostAsync("/api/admin/rebuild", null);
        var answers = new List<HttpResponseMessage>();
        while (!rebuild.IsCompleted) answers.Add(await reader.GetAsync(url));

        (await rebuild).StatusCode.Should().Be(HttpStatusCode.OK);
        answers.Should().NotBeEmpty().And.OnlyContain(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.ServiceUnavailable);
        answers.Should().Contain(r => r.StatusCode == HttpStatusCode.ServiceUnavailable, "the rebuild takes longer than one read");
        var refused = answers.First(r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter.Should().NotBeNull();
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await app.CurrentAsync("688083.SH", "ProfitLossAttributableToOwnersOfParent", "FY2022")).Value.Should().Be("6003513.77");
    }

    [Fact]
    public async Task A_rebuild_running_in_another_process_or_left_unfinished_is_seen_by_the_service_and_redone_at_start()
    {
        // As the rebuild command running elsewhere (or killed half-way) leaves it: the mark set, the views incomplete.
        await CorrectATranscriptionAsync();
        var before = await StoredViews.DumpAsync(app.Database.ConnectionString);
        await using (var session = app.Store.LightweightSession())
        {
            var stored = await session.LoadAsync<StoredViewsVersion>("views") ?? new StoredViewsVersion();
            stored.RebuildStartedAt = DateTimeOffset.UtcNow;
            session.Store(stored);
            await session.SaveChangesAsync();
        }
        await DamageViewsAsync();
        await Task.Delay(RebuildGate.RecheckEvery + TimeSpan.FromMilliseconds(100));

        var during = await app.Client.GetAsync("/api/entities/688083.SH/figures/Revenue/FY2023");
        during.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        during.Headers.RetryAfter.Should().NotBeNull();

        await using (var restarted = app.Variant(new Dictionary<string, string?>()))
        {
            using var client = restarted.CreateClient(); // a start finds the unfinished rebuild and does it again
            await ExpectViewsAsync(before);
        }
        await Task.Delay(RebuildGate.RecheckEvery + TimeSpan.FromMilliseconds(100));
        (await app.Client.GetAsync("/api/entities/688083.SH/figures/Revenue/FY2023")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private async Task ExpectViewsAsync(Dictionary<string, List<string>> expected)
    {
        var now = await StoredViews.DumpAsync(app.Database.ConnectionString);
        foreach (var table in ViewTables) now[table].Should().Equal(expected[table], $"{table} must be rebuilt to what it was");
    }

    /// <summary>Deletes one row of every view and alters another, as a bug or a hand in the database might.</summary>
    private async Task DamageViewsAsync()
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        foreach (var table in ViewTables)
        {
            var t = $"{MartenSetup.Schema}.{table}";
            var (key, damage) = table.StartsWith("mt_doc_", StringComparison.Ordinal) ? ("id", "data = data || '{\"damaged\": true}'::jsonb")
                : table == StatedValueTables.StatedValues ? ("position", "recording_reason = recording_reason || ' (damaged)'")
                : table == StatementLineTable.Name ? ("(figure, known_from)", "restated = not restated")
                : table == Ledger.Projections.Checks.CheckTables.Findings ? ("key", "verdict = verdict || ' (damaged)'")
                : table == Ledger.Projections.Checks.CheckTables.State ? ("entity", "findings = findings + 1")
                : ("position", "correction = correction || '{\"damaged\": true}'::jsonb");
            await using var command = new NpgsqlCommand(
                $"delete from {t} where {key} = (select {key.Trim('(', ')')} from {t} order by {key} limit 1); update {t} set {damage} where {key} = (select {key.Trim('(', ')')} from {t} order by {key} desc limit 1);",
                connection);
            (await command.ExecuteNonQueryAsync()).Should().Be(2, $"{table} holds at least two rows to damage");
        }
    }

    /// <summary>
    /// A document whose transcription was corrected in two figures, so that every view table holds rows to damage
    /// whatever ran before (posting it again records nothing).
    /// </summary>
    private async Task CorrectATranscriptionAsync()
    {
        var transcribed = MadeUp.Package("RND.CORR", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("ProfitLoss", "FY2023", "100"));
        // Created the first time; a conflict once corrected (the document now states other values).
        (await app.PostPackageAsync(transcribed.Json())).StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.Conflict);
        var corrected = MadeUp.Package("RND.CORR", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,001"), MadeUp.Fact("ProfitLoss", "FY2023", "101"));
        corrected["correction"] = new JsonObject { ["reason"] = "misread both figures" };
        (await app.PostPackageAsync(corrected.Json())).IsSuccessStatusCode.Should().BeTrue();
    }

    /// <summary>
    /// Several made-up entities over several years: each report restates or reaffirms the year before,
    /// sometimes changes a figure without saying so, and the reports arrive in shuffled order.
    /// </summary>
    internal static List<JsonObject> RandomPackages(int seed)
    {
        var random = new Random(seed);
        string[] flows = ["Revenue", "CostOfSales", "GrossProfit", "ProfitLoss"];
        string[] balances = ["Assets", "Liabilities", "Equity"];
        var packages = new List<JsonObject>();
        foreach (var entity in new[] { "RND.A", "RND.B", "RND.C", "RND.D" })
        {
            var values = new Dictionary<string, long>();
            long ValueOf(string key) => values.TryGetValue(key, out var v) ? v : values[key] = random.NextInt64(1_000, 9_999_999);
            for (var year = 2019; year <= 2023; year++)
            {
                var facts = new List<JsonObject>();
                var restatements = new JsonArray();
                foreach (var (concept, period, prior) in flows.Select(c => (c, $"FY{year}", $"FY{year - 1}"))
                             .Concat(balances.Select(c => (c, $"{year}-12-31", $"{year - 1}-12-31"))))
                {
                    facts.Add(MadeUp.Fact(concept, period, $"{ValueOf($"{concept}|{period}"):N0}"));
                    if (year == 2019) continue;
                    var before = ValueOf($"{concept}|{prior}");
                    var roll = random.NextDouble();
                    if (roll < 0.2)
                    {
                        var after = before + random.Next(-5_000, 5_000);
                        values[$"{concept}|{prior}"] = after;
                        restatements.Add(MadeUp.Restatement(concept, prior, $"{before:N0}", $"{after:N0}", $"{entity}/AR{year - 1}",
                            random.Next(2) == 0 ? "error-correction" : "reclassification"));
                    }
                    else if (roll < 0.25) facts.Add(MadeUp.Fact(concept, prior, $"{before + 1:N0}")); // changed without a word
                    else facts.Add(MadeUp.Fact(concept, prior, $"{before:N0}"));                       // reaffirmed
                }
                var package = MadeUp.Package(entity, $"AR{year}", $"{year + 1}-03-{10 + random.Next(15)}", facts.ToArray());
                if (year > 2019) package["citedDocuments"] = new JsonArray(new JsonObject { ["id"] = $"{entity}/AR{year - 1}", ["kind"] = "annual-report", ["title"] = $"AR{year - 1}" });
                if (restatements.Count > 0) package["restatements"] = restatements;
                packages.Add(package);
            }
        }
        return packages.OrderBy(_ => random.Next()).ToList();
    }

    /// <summary>Marks the stored views as of another build's version, starts the service, and expects the views it rebuilt at start.</summary>
    private async Task RestartWithViewsOfVersionAsync(string version, Dictionary<string, List<string>> before)
    {
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(new StoredViewsVersion { Version = version, BuiltAt = DateTimeOffset.UnixEpoch });
            await session.SaveChangesAsync();
        }
        await using var restarted = app.Variant(new Dictionary<string, string?>());
        using var client = restarted.CreateClient(); // starts the host, and with it the check of the stored views
        await ExpectViewsAsync(before);
    }
}
