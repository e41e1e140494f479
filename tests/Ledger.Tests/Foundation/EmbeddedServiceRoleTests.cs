using System.Text;
using Ledger.Api.Audit;
using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Tests.Infrastructure;
using Npgsql;

namespace Ledger.Tests.Foundation;

/// <summary>
/// The embedded default's service connects as a role that owns the ledger's database but is no superuser (issue 16, #2):
/// its password cannot run programs on the host, and a data directory of an older build is handed over to it at start.
/// </summary>
public class EmbeddedServiceRoleTests
{
    private static string Bin => EmbeddedPostgres.FindBinaries(null) ?? throw new InvalidOperationException("The PostgreSQL server binaries are needed (eng/test.sh installs them).");

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), $"ledger-role-{Guid.NewGuid():N}"[..26]);

    [Fact]
    public async Task The_service_connection_is_no_superuser_cannot_run_programs_and_still_records_and_seals_a_package()
    {
        await using var server = await EmbeddedPostgres.StartAsync(Bin, NewDirectory(), throwaway: true);
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            (await Scalar<string>(connection, "select current_user")).Should().Be(EmbeddedPostgres.ServiceRole);
            (await Scalar<bool>(connection, "select rolsuper from pg_roles where rolname = current_user")).Should().BeFalse();
            (await Scalar<string>(connection, "select pg_get_userbyid(datdba) from pg_database where datname = current_database()")).Should().Be(EmbeddedPostgres.ServiceRole);
            var program = async () => await Scalar<int>(connection, "copy (select 1) to program 'true'");
            (await program.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        }

        await using var store = await MartenSetup.OpenStoreAsync(server.ConnectionString);
        var ingestion = new HandlerSteps(store, ConceptCatalog.Default, TimeProvider.System);
        var body = Encoding.UTF8.GetBytes(MadeUp.Package("ROLE.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).ToJsonString());
        (await ingestion.IngestAsync(body, new Recording("test", "role"), CancellationToken.None)).Outcome.Should().Be(IngestionOutcome.Recorded);
        (await AuditLog.VerifyAsync(server.ConnectionString, null, null, TimeProvider.System, CancellationToken.None)).Intact.Should().BeTrue();
    }

    [Fact]
    public async Task A_data_directory_whose_objects_the_superuser_owns_is_handed_to_the_service_role_at_start()
    {
        var directory = NewDirectory();
        try
        {
            await using (var first = await EmbeddedPostgres.StartAsync(Bin, directory, throwaway: false))
            await using (var admin = new NpgsqlConnection(first.AdminConnectionString))
            {
                // What an older build left: its objects made by the superuser it connected as.
                await admin.OpenAsync();
                await Scalar<int>(admin, """
                    create schema ledger;
                    create table ledger.mt_events (seq_id bigserial primary key, data jsonb);
                    create view ledger.recent as select seq_id from ledger.mt_events;
                    create function ledger.f() returns int language sql as 'select 1';
                    create type ledger.kind as enum ('a', 'b');
                    select 1
                    """);
            }

            await using var second = await EmbeddedPostgres.StartAsync(Bin, directory, throwaway: false);
            await using var connection = new NpgsqlConnection(second.ConnectionString);
            await connection.OpenAsync();
            (await Scalar<long>(connection, """
                select count(*) from (
                  select nspowner as owner from pg_namespace where nspname = 'ledger'
                  union all select relowner from pg_class where relnamespace = 'ledger'::regnamespace
                  union all select proowner from pg_proc where pronamespace = 'ledger'::regnamespace
                  union all select typowner from pg_type where typnamespace = 'ledger'::regnamespace) o
                where pg_get_userbyid(owner) <> current_user
                """)).Should().Be(0, "every object of the ledger's schema is the service role's");
            await Scalar<int>(connection, "insert into ledger.mt_events (data) values ('{}'); select 1");
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
