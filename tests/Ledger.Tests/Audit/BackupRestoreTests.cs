using System.Diagnostics;
using System.Text;
using Ledger.Api.Audit;
using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Projections.Figures;
using Ledger.Tests.Infrastructure;
using Marten;
using Npgsql;

namespace Ledger.Tests.Audit;

/// <summary>
/// The README's backup and restore, done as documented: <c>pg_dump -Fc</c> of a ledger, <c>pg_restore</c> into an empty
/// database; the restored ledger verifies against a checkpoint taken before the dump, serves the same views, and seals
/// what is written to it afterwards.
/// </summary>
[Collection(LedgerCollection.Name)]
public class BackupRestoreTests(AuditLedgers ledgers) : IClassFixture<AuditLedgers>
{
    [Fact]
    public async Task A_pg_dump_and_pg_restore_round_trip_verifies_against_the_checkpoint_kept_before_the_dump_and_serves_the_same_views()
    {
        var original = await ledgers.CopyAsync();
        var kept = await AuditLog.CheckpointAsync(original, TimeProvider.System, CancellationToken.None);
        var dump = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.dump");
        try
        {
            await RunAsync("pg_dump", original, $"--format=custom --file={dump}");
            var restored = await ledgers.EmptyAsync();
            await RunAsync("pg_restore", restored, $"--no-owner --exit-on-error --single-transaction {dump}");

            var verified = await AuditLog.VerifyAsync(restored, kept.Sequence, kept.Hash, TimeProvider.System, CancellationToken.None);
            verified.Intact.Should().BeTrue(verified.FirstBreak?.Detail);
            verified.Checkpoint!.Extended.Should().BeTrue();
            (await AuditLog.CheckpointAsync(restored, TimeProvider.System, CancellationToken.None)) .Should()
                .BeEquivalentTo(kept, o => o.Excluding(c => c.At), "the restored ledger's head is the head kept before the dump");

            foreach (var table in ProjectionRebuild.ViewTables)
                (await StoredViews.RowsAsync(restored, table)).Should().Equal(await StoredViews.RowsAsync(original, table), $"{table} is restored as it was");
            await using (var before = DocumentStore.For(o => MartenSetup.Configure(o, original)))
            await using (var after = DocumentStore.For(o => MartenSetup.Configure(o, restored)))
            {
                // seed 004 line 239 (ZWSOFT FY2022 net profit attributable, restated), seed 002 (Kingsoft Cloud FY2024 net loss).
                foreach (var figure in new[] { "688083.SH|ProfitLossAttributableToOwnersOfParent|FY2022|consolidated", "3896.HK|ProfitLoss|FY2024|consolidated" })
                {
                    await using var a = before.QuerySession();
                    await using var b = after.QuerySession();
                    var expected = await FigureReads.LoadAsync(a, figure, CancellationToken.None);
                    expected.Should().NotBeNull(figure);
                    (await FigureReads.LoadAsync(b, figure, CancellationToken.None)).Should().BeEquivalentTo(expected, figure);
                }

                // The triggers came back with the dump: a package loaded into the restored ledger is sealed onto the same chain.
                var result = await new HandlerSteps(after, ConceptCatalog.Default, TimeProvider.System).IngestAsync(
                    Encoding.UTF8.GetBytes(MadeUp.Package("AUDIT.RESTORED", "AR2024", "2025-05-01", MadeUp.Fact("Revenue", "FY2024", "12345")).Json()),
                    new Recording("audit-tests", "after restore"), CancellationToken.None);
                result.Outcome.Should().Be(IngestionOutcome.Recorded);
            }
            verified = await AuditLog.VerifyAsync(restored, kept.Sequence, kept.Hash, TimeProvider.System, CancellationToken.None);
            verified.Intact.Should().BeTrue(verified.FirstBreak?.Detail);
            verified.Seals.Should().Be(verified.Events).And.BeGreaterThan(kept.Sequence);
            verified.Checkpoint!.Extended.Should().BeTrue();
        }
        finally
        {
            File.Delete(dump);
        }
    }

    /// <summary>Runs a PostgreSQL client program against a database, the password in PGPASSWORD (never on the command line).</summary>
    private static async Task RunAsync(string program, string db, string arguments)
    {
        // The server's directory (pg_ctl may be linked from elsewhere on PATH), else Debian's, newest first.
        var bin = new[] { EmbeddedPostgres.FindBinaries(null) }
            .Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")) : [])
            .Select(d => d is null ? null : Path.Combine(d, program))
            .FirstOrDefault(File.Exists) ?? throw new InvalidOperationException($"{program} is not installed (the PostgreSQL client binaries)");
        var c = new NpgsqlConnectionStringBuilder(db);
        var start = new ProcessStartInfo(bin,
            $"--host={c.Host} --port={c.Port} --username={c.Username} --dbname={c.Database} {arguments}")
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        start.Environment["PGPASSWORD"] = c.Password ?? "";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, $"{program} {arguments}: {await error}{await output}");
    }
}
