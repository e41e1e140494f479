using System.Net;
using System.Text.Json.Nodes;
using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Domain.Ingestion;
using Ledger.Tests.Infrastructure;
using Npgsql;

namespace Ledger.Tests.Ingestion;

/// <summary>
/// A large package is written in chunks (<see cref="DisclosureIngestion.ChunkEvents"/> events a session), all in one
/// transaction: memory holds one chunk at a time, and the package still lands whole or not at all.
/// </summary>
[Collection(LedgerCollection.Name)]
public class ChunkedWriteTests(LedgerApp app)
{
    private const int Facts = 2 * DisclosureIngestion.ChunkEvents + 1;

    private static JsonObject Big(string entity) =>
        MadeUp.Package(entity, "AR2023", "2024-03-01", Enumerable.Range(0, Facts).Select(i =>
        {
            var fact = MadeUp.Fact("Revenue", "FY2023", $"{1_000 + i:N0}");
            fact["dims"] = new JsonObject { ["segment"] = $"s{i:D5}" };
            return fact;
        }).ToArray());

    [Fact]
    public async Task A_package_of_three_chunks_is_recorded_whole_with_its_body_and_every_row()
    {
        var response = await app.PostPackageAsync(Big("CHUNK.A").Json());
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());

        (await app.GetJsonAsync("/api/entities/CHUNK.A/documents/AR2023")).GetProperty("facts").GetInt32().Should().Be(Facts);
        // The last fact, written by the third session, as the API reads it.
        var last = await app.GetJsonAsync($"/api/entities/CHUNK.A/figures/Revenue/FY2023?dims=segment=s{Facts - 1:D5}");
        last.GetProperty("current").GetProperty("value").GetString().Should().Be($"{1_000 + Facts - 1}");
        (await CountAsync($"select count(*) from {MartenSetup.Schema}.stated_values where entity = 'CHUNK.A'")).Should().Be(Facts);
        (await CountAsync($"select count(*) from {PackageBodies.Table} where document_id = 'CHUNK.A/AR2023' and length(body) > 0")).Should().Be(1);
        // Its bytes and its record, a megabyte each, compressed with LZ4 where the server has it (SealedWrite), pglz otherwise.
        var method = await CountAsync("select count(*) from pg_settings where name = 'default_toast_compression' and 'lz4' = any(enumvals)") == 1 ? "lz4" : "pglz";
        (await CountAsync($"select count(*) from {PackageBodies.Table} where document_id = 'CHUNK.A/AR2023' and pg_column_compression(body) = '{method}'")).Should().Be(1);
        (await CountAsync($"select count(*) from {MartenSetup.Schema}.mt_doc_loadedpackage where id = 'CHUNK.A/AR2023' and pg_column_compression(data) = '{method}'")).Should().Be(1);
        // The document's stream opens with what the document is, so a later chunk's rows find its date in the log.
        (await CountAsync($"select count(*) from {MartenSetup.Schema}.mt_events where stream_id = 'document:CHUNK.A/AR2023' and version = 1 and type = 'document_recorded'"))
            .Should().Be(1);
    }

    [Fact]
    public async Task A_failure_in_the_last_chunk_leaves_nothing_of_the_package()
    {
        // The last chunk writes the package's body: make that write fail for this document only.
        await ExecuteAsync($"""
            create or replace function {MartenSetup.Schema}.test_refuse_body() returns trigger language plpgsql as
            $f$ begin if new.document_id = 'CHUNK.B/AR2023' then raise exception 'refused by the test'; end if; return new; end $f$;
            create trigger test_refuse_body before insert on {PackageBodies.Table} for each row execute function {MartenSetup.Schema}.test_refuse_body();
            """);
        try
        {
            var response = await app.PostPackageAsync(Big("CHUNK.B").Json());
            response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        }
        finally
        {
            await ExecuteAsync($"drop trigger test_refuse_body on {PackageBodies.Table}; drop function {MartenSetup.Schema}.test_refuse_body();");
        }
        (await CountAsync($"select count(*) from {MartenSetup.Schema}.mt_events where stream_id like '%CHUNK.B%'")).Should().Be(0);
        (await CountAsync($"select count(*) from {MartenSetup.Schema}.stated_values where entity = 'CHUNK.B'")).Should().Be(0);
        (await app.Client.GetAsync("/api/entities/CHUNK.B/documents/AR2023")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Nothing half-written stands in the way: the same package loads once the database takes it.
        (await app.PostPackageAsync(Big("CHUNK.B").Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        (await CountAsync($"select count(*) from {MartenSetup.Schema}.stated_values where entity = 'CHUNK.B'")).Should().Be(Facts);
    }

    [Fact]
    public void A_stored_signature_in_any_form_a_record_held_gives_the_same_digest()
    {
        // Records written before 2026-12-03 hold each figure's canonical statements as text, later ones until commit
        // 0c7acc2 the whole SHA-256 as hex, newer ones its first 16 bytes as base64url.
        const string canonical = """{"value":{"value":"1000","unit":"CNY","decimals":0},"document":{"id":"X/AR2023","publishedOn":"2024-03-01"}}""";
        var sha256 = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical));
        var expected = Convert.ToBase64String(sha256, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var hex = Convert.ToHexString(sha256);
        FigureSignature.Hash(canonical).Should().Be(expected).And.HaveLength(22);
        FigureSignature.DigestOf(canonical).Should().Be(expected);
        FigureSignature.DigestOf(hex).Should().Be(expected);
        FigureSignature.DigestOf(expected).Should().Be(expected, "a digest read back is itself");
        FigureSignature.DigestOf(canonical + " ").Should().NotBe(expected);
        foreach (var older in new[] { canonical, hex })
            new LoadedPackage { Figures = new() { ["K"] = "1000 CNY (decimals 0)" }, FigureSignatures = new() { ["K"] = older } }
                .FigureContent().Should().Equal(new Dictionary<string, FigureSignature> { ["K"] = new(expected, "1000 CNY (decimals 0)") });
    }

    [Fact]
    public async Task The_record_the_database_puts_together_is_the_one_a_session_would_store()
    {
        // Three chunks; figures stated once, one stated twice at two precisions (signed when the package is read whole),
        // one stated by a fact and a restatement, and a value without decimals; one figure in each chunk repeated.
        var package = Big("CHUNK.SQL");
        var facts = package["facts"]!.AsArray();
        facts.Add(MadeUp.Dimensioned(MadeUp.Fact("Revenue", "FY2023", "1,000.5"), "s00000"));
        facts.Add(MadeUp.Dimensioned(MadeUp.Fact("Revenue", "FY2023", "2,000"), $"s{Facts - 1:D5}"));
        facts.Add(MadeUp.Fact("ProfitLoss", "FY2023", "-"));
        package["citedDocuments"] = new JsonArray(new JsonObject { ["id"] = "CHUNK.SQL/AR2022", ["publishedOn"] = "2023-03-01" });
        package["restatements"] = new JsonArray(MadeUp.Dimensioned(MadeUp.Restatement("Revenue", "FY2023", "900", "1,000", "CHUNK.SQL/AR2022"), "s04000"));
        var body = System.Text.Encoding.UTF8.GetBytes(package.Json());
        var response = await app.PostPackageAsync(package.Json());
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());

        var received = ReceivedPackage.Read(body, new("test", "the record in memory"), TimeProvider.System);
        var (plan, errors) = new PackageReader(Ledger.Domain.Concepts.ConceptCatalog.Default).Read(received.Package!, LedgerContext.Empty, received.Recording, received.Hash);
        errors.Should().BeEmpty();
        plan!.RepeatedFigures.Should().Contain(["CHUNK.SQL|Revenue|FY2023|consolidated|segment=s00000", $"CHUNK.SQL|Revenue|FY2023|consolidated|segment=s{Facts - 1:D5}", "CHUNK.SQL|Revenue|FY2023|consolidated|segment=s04000"]);
        var expected = PackageContent.Of(plan).ToLoadedPackage(plan.DocumentId, received.Hash);
        expected.Statements.Should().HaveCount(Facts + 1);
        expected.Statements["CHUNK.SQL|Revenue|FY2023|consolidated|segment=s00000"].Value.Should().Be("1000.5 CNY (decimals 1)", "the more precise of its two statements");

        // The stored JSON is the JSON Marten writes for the record built in memory, compared as jsonb (key order aside).
        var json = ((Marten.StoreOptions)app.Store.Options).Serializer().ToJson(expected);
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select data = @expected::jsonb, mt_dotnet_type from {LoadedPackage.Table} where id = 'CHUNK.SQL/AR2023'", connection);
        command.Parameters.AddWithValue("expected", json);
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();
        reader.GetBoolean(0).Should().BeTrue("the record put together in SQL is the one a session stores");
        reader.GetString(1).Should().Be(typeof(LoadedPackage).FullName);
        await using var session = app.Store.QuerySession();
        (await session.LoadAsync<LoadedPackage>("CHUNK.SQL/AR2023")).Should().BeEquivalentTo(expected);
    }

    [Fact]
    public async Task A_record_holds_each_figure_once_and_a_record_in_the_older_form_still_decides_a_package_posted_again()
    {
        var package = MadeUp.Package("CHUNK.FORM", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("ProfitLoss", "FY2023", "-5"));
        (await app.PostPackageAsync(package.Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        (await CountAsync($"select count(*) from {MartenSetup.Schema}.mt_doc_loadedpackage p, jsonb_each(p.data -> 'statements') f " +
                          "where p.id = 'CHUNK.FORM/AR2023' and jsonb_typeof(f.value) = 'array' and jsonb_array_length(f.value) = 2 " +
                          "and length(f.value ->> 0) = 22 and jsonb_typeof(p.data -> 'figureSignatures') is distinct from 'object'"))
            .Should().Be(2, "one entry per figure, [digest, value], and no second map");

        // As a build before 0c7acc2 stored it: two maps keyed by figure (the digests' older forms: the test above).
        var received = ReceivedPackage.Read(System.Text.Encoding.UTF8.GetBytes(package.Json()), new("test", "older form"), TimeProvider.System);
        var (plan, _) = new PackageReader(Ledger.Domain.Concepts.ConceptCatalog.Default).Read(received.Package!, LedgerContext.Empty, received.Recording, received.Hash);
        var content = PackageContent.Of(plan!);
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(new LoadedPackage { Id = "CHUNK.FORM/AR2023", ContentHash = received.Hash, Figures = content.Figures.ToDictionary(f => f.Key, f => f.Value.Value!), FigureSignatures = content.Figures.ToDictionary(f => f.Key, f => f.Value.Digest), OtherContentSignature = content.Other });
            await session.SaveChangesAsync();
        }
        await ExecuteAsync($"update {MartenSetup.Schema}.mt_doc_loadedpackage set data = data - 'statements' where id = 'CHUNK.FORM/AR2023'");

        var reformatted = await app.PostPackageAsync(package.ToJsonString(new() { WriteIndented = true }));
        reformatted.StatusCode.Should().Be(HttpStatusCode.OK, "the same statements, only formatted differently");
        (await reformatted.Content.ReadAsStringAsync()).Should().Contain("only its formatting differs");
        var changed = await app.PostPackageAsync(MadeUp.Package("CHUNK.FORM", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,001"), MadeUp.Fact("ProfitLoss", "FY2023", "-5")).Json());
        changed.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var differences = (await LedgerApp.JsonOf(changed)).GetProperty("differences");
        differences.GetArrayLength().Should().Be(1);
        differences[0].GetProperty("figure").GetString().Should().Be("CHUNK.FORM|Revenue|FY2023|consolidated");
        differences[0].GetProperty("ledger").GetString().Should().Be("1000 CNY (decimals 0)", "the older record's value for people");
        differences[0].GetProperty("package").GetString().Should().Be("1001 CNY (decimals 0)");
    }

    [Fact]
    public async Task A_record_written_by_an_older_build_gives_its_package_bytes_to_the_bodies_table()
    {
        (await app.PostPackageAsync(MadeUp.Package("CHUNK.OLD", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json()))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        // As an older build stored it: the bytes inside the record as a string, none in the table.
        await ExecuteAsync($"""
            update {MartenSetup.Schema}.mt_doc_loadedpackage p set data = p.data || jsonb_build_object('body', convert_from(b.body, 'UTF8'))
              from {PackageBodies.Table} b where p.id = 'CHUNK.OLD/AR2023' and b.document_id = p.id;
            delete from {PackageBodies.Table} where document_id = 'CHUNK.OLD/AR2023';
            """);

        (await PackageBodies.MoveFromRecordsAsync(app.Store, CancellationToken.None)).Should().BeGreaterThanOrEqualTo(1);

        (await CountAsync($"select count(*) from {PackageBodies.Table} b join {MartenSetup.Schema}.mt_doc_loadedpackage p on p.id = b.document_id " +
                          "where b.document_id = 'CHUNK.OLD/AR2023' and encode(sha256(b.body), 'hex') = p.data ->> 'contentHash' and not p.data ? 'body'"))
            .Should().Be(1, "the bytes moved, checked against the record's content hash, and left the record");
        (await PackageBodies.MoveFromRecordsAsync(app.Store, CancellationToken.None)).Should().Be(0, "once moved, nothing is left to move");
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
