using System.Runtime.CompilerServices;
using Ledger.Api.Database;
using Marten;
using Npgsql;

namespace Ledger.Api.Audit;

/// <summary>
/// The tamper-evident log's objects in PostgreSQL: a table of seals, one per event, chained by SHA-256, written by
/// triggers on <c>mt_events</c> in the transaction that writes the event. Triggers, not application code, so that
/// every write path seals: Marten sessions (one INSERT per event), Marten's COPY-based bulk insert, tests, a hand in psql.
/// <para>
/// Concurrency: the chain is extended under one transaction-scoped advisory lock, taken by a statement trigger before
/// the first stream or event row of a transaction is written and held until commit, so two writers never fork the
/// chain (the second waits for the first to commit). The chain's own <c>sequence</c> (1, 2, 3 …, no gaps) is the
/// order of sealing; <c>event_sequence</c> is Marten's <c>seq_id</c>, which has gaps (a rolled-back append still uses
/// up sequence numbers) and, with concurrent writers, need not follow commit order; hence a sequence of our own.
/// </para>
/// <para>
/// Applied by <see cref="EnsureAsync"/> (idempotent; the script's version is kept in a comment on the seal table, so a
/// start that finds the current version and its triggers runs no DDL). Not a Marten ExtendedSchemaObject: Marten creates the event tables
/// lazily on first use, and the triggers must exist before the first event is written whatever creates the tables.
/// </para>
/// </summary>
public static class AuditChainSchema
{
    /// <summary>Change whenever the script changes: a database holding another version gets the new objects at start.</summary>
    public const string Version = "ledger-audit-chain-v3.5";

    public const string Seals = MartenSetup.Schema + ".audit_seals";

    /// <summary>The advisory lock that serializes sealing ("LEDGERAU" in ASCII, unlikely to meet anyone else's key).</summary>
    public const long LockKey = 0x4C45444745524155;

    private const string S = MartenSetup.Schema;

    /// <summary>The canonical form of one event, shared by the trigger and (re-implemented in C#) by the verifier.</summary>
    public static readonly string Script = $$"""
        select pg_advisory_xact_lock({{LockKey}});

        create table if not exists {{S}}.audit_seals (
            sequence       bigint primary key,
            event_sequence bigint not null unique,
            stream_id      varchar,
            version        bigint not null,
            event_digest   bytea not null,
            data_digest    bytea not null,
            hash           bytea not null,
            sealed_at      timestamptz not null
        );

        -- One field of the canonical form: '-' for null, else its UTF-8 length, ':' and the text (no separator can be forged).
        -- Stable, as convert_to is: PostgreSQL inlines a SQL function only when it is declared no stricter than its body.
        -- Declared immutable (v1) it was not inlined, so its body was parsed and planned again at each of its 15 call sites
        -- in every trigger statement, and Marten inserts one event per statement: that was 80 % of an ingest.
        -- In a UTF-8 database a text's octet length is already its UTF-8 length, without converting a copy of it (v3.2).
        do $d$ begin
            if current_setting('server_encoding') = 'UTF8' then
                create or replace function {{S}}.audit_field(v text) returns text language sql stable parallel safe as
                $f$ select case when v is null then '-' else octet_length(v)::text || ':' || v end $f$;
            else
                create or replace function {{S}}.audit_field(v text) returns text language sql stable parallel safe as
                $f$ select case when v is null then '-' else octet_length(convert_to(v, 'UTF8'))::text || ':' || v end $f$;
            end if;
        end $d$;

        -- SHA-256 of the event's canonical form: every column Marten writes, jsonb in its canonical text form,
        -- the timestamp in UTC ISO 8601 to the microsecond. The jsonb columns come as their text, worked out once per
        -- event by the caller (v3.2): passed as jsonb, each was printed again at every use in the inlined body, the
        -- data four times with its own digest, which was a third of sealing.
        drop function if exists {{S}}.audit_event_digest(bigint, uuid, varchar, bigint, varchar, timestamptz, varchar, varchar, varchar,
            varchar, varchar, jsonb, jsonb, bytea, boolean);
        create or replace function {{S}}.audit_event_digest(
            seq_id bigint, id uuid, stream_id varchar, version bigint, type varchar, ts timestamptz, tenant_id varchar,
            dotnet_type varchar, correlation_id varchar, causation_id varchar, user_name varchar, headers_text text,
            data_text text, bdata bytea, is_archived boolean) returns bytea language sql stable parallel safe as
        $f$ select sha256(convert_to('ledger-event-v1'
            || {{S}}.audit_field(seq_id::text) || {{S}}.audit_field(id::text) || {{S}}.audit_field(stream_id)
            || {{S}}.audit_field(version::text) || {{S}}.audit_field(type)
            || {{S}}.audit_field(to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
            || {{S}}.audit_field(tenant_id) || {{S}}.audit_field(dotnet_type) || {{S}}.audit_field(correlation_id)
            || {{S}}.audit_field(causation_id) || {{S}}.audit_field(user_name) || {{S}}.audit_field(headers_text)
            || {{S}}.audit_field(data_text) || {{S}}.audit_field(encode(bdata, 'hex')) || {{S}}.audit_field(is_archived::text),
            'UTF8')) $f$;

        -- Extends the chain by events given in order: hash(n) = SHA-256(hash(n-1) || n as 8 bytes big-endian || digest(n)).
        create or replace function {{S}}.audit_chain_append(seqs bigint[], streams varchar[], versions bigint[], digests bytea[], data_digests bytea[])
        returns bigint language plpgsql as
        $f$
        declare
            n int := coalesce(array_length(seqs, 1), 0);
            head_sequence bigint;
            head_hash bytea;
            positions bigint[] := '{}';
            hashes bytea[] := '{}';
        begin
            if n = 0 then return 0; end if;
            perform pg_advisory_xact_lock({{LockKey}});
            select s.sequence, s.hash into head_sequence, head_hash from {{S}}.audit_seals s order by s.sequence desc limit 1;
            head_sequence := coalesce(head_sequence, 0);
            head_hash := coalesce(head_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
            for i in 1..n loop
                head_sequence := head_sequence + 1;
                head_hash := sha256(head_hash || int8send(head_sequence) || digests[i]);
                positions[i] := head_sequence;
                hashes[i] := head_hash;
            end loop;
            insert into {{S}}.audit_seals (sequence, event_sequence, stream_id, version, event_digest, data_digest, hash, sealed_at)
            select p, q, st, v, d, dd, h, clock_timestamp() from unnest(positions, seqs, streams, versions, digests, data_digests, hashes) as u(p, q, st, v, d, dd, h);
            return n;
        end
        $f$;

        -- Before a transaction writes its first stream or event row: take the chain's lock, so that the lock is
        -- always taken before any row lock a concurrent writer could wait on (no deadlock between two appends). The
        -- triggers call it only until it has noted the lock for the transaction (v3.4; their WHEN clause, no function
        -- call): once per event, as Marten inserts, it took 0.17 s of PostgreSQL's 7 s for a 100,000-fact package. The note is
        -- undone with the lock: both end with the transaction, or with a subtransaction rolled back.
        create or replace function {{S}}.audit_lock_chain() returns trigger language plpgsql as
        $f$ begin perform pg_advisory_xact_lock({{LockKey}}); perform set_config('ledger.audit_locked', 'yes', true); return null; end $f$;

        -- Each event row lower than any noted so far notes its sequence number: the lowest the transaction wrote (cheap: no
        -- digest). A row trigger whose WHEN clause (evaluated in C, no function call) lets through only such a row (v3.4):
        -- Marten inserts one event per statement, and the statement trigger before it (a transition table and a query per
        -- event) took 0.37 s of PostgreSQL's 7 s for a 100,000-fact package. A COPY's rows are all let through until its
        -- statement ends (the row functions run then), so a bulk load calls it for its first batch's rows only.
        drop trigger if exists audit_note_events on {{S}}.mt_events;
        drop function if exists {{S}}.audit_note_inserted();
        create or replace function {{S}}.audit_note_inserted() returns trigger language plpgsql as
        $f$
        declare
            noted bigint := nullif(current_setting('ledger.audit_from', true), '')::bigint;
        begin
            if noted is null or new.seq_id < noted then
                perform set_config('ledger.audit_from', new.seq_id::text, true);
            end if;
            return null;
        end
        $f$;

        -- Whether this transaction wrote, in one of its subtransactions (after a savepoint), a row whose xmin is x: asked
        -- only of rows its top-level id did not write (v3.5, below). The 32-bit id is taken as the 64-bit one nearest the
        -- transaction's own, as PostgreSQL compares ids; one after it is this transaction's if it is still in progress (no
        -- other writer's uncommitted row is visible). An id in the future (an ancient row's, taken too far) is not ours.
        create or replace function {{S}}.audit_written_here(x xid) returns boolean language plpgsql stable as
        $f$
        declare
            top bigint := pg_current_xact_id()::text::bigint;
            later bigint := x::text::bigint - top % 4294967296;
        begin
            if later < -2147483648 then later := later + 4294967296; elsif later >= 2147483648 then later := later - 4294967296; end if;
            if later <= 0 then return later = 0; end if;
            return pg_xact_status((top + later)::text::xid8) = 'in progress';
        exception when invalid_parameter_value then
            return false;
        end
        $f$;

        -- Seals, in sequence order and batches of 10,000, every event after a sequence number that has no seal yet and,
        -- with own_only, that this transaction wrote; returns how many. Shared by sealing at commit (own_only) and by the
        -- one-time sealing of a ledger older than the chain. Until v3.5 sealing at commit took every unsealed event after
        -- the transaction's first: one written past the triggers (an insert with them disabled) and numbered after the
        -- next write's events was sealed by that write's commit, and verification then found the log intact. Now it stays
        -- unsealed, for verification to report.
        -- Index scans only: a large transaction's events are not in the statistics yet (a bulk load of a market: the table
        -- looks empty), and the planner's choice for that, a full scan and an anti-join per batch of 10,000, made sealing
        -- 9.4 million events quadratic (hours) where walking the sequence index is linear. Nor a bitmap scan or a parallel
        -- plan (v3.3): either sorts the whole rows, jsonb and all, by sequence number, which spilled to disk and was half
        -- of sealing a 100,000-fact package.
        drop function if exists {{S}}.audit_seal_after(bigint);
        create or replace function {{S}}.audit_seal_after(after bigint, own_only boolean) returns bigint language plpgsql
        set enable_seqscan = off set enable_bitmapscan = off set enable_hashjoin = off set enable_mergejoin = off
        set max_parallel_workers_per_gather = 0 set jit = off as
        $f$
        declare
            total bigint := 0; n bigint;
            seqs bigint[]; streams varchar[]; versions bigint[]; digests bytea[]; data_digests bytea[];
            -- Null when sealing every event: no transaction id is asked for, nor assigned.
            top xid := case when own_only then pg_current_xact_id()::xid end;
        begin
            loop
                select array_agg(e.seq_id order by e.seq_id), array_agg(e.stream_id order by e.seq_id), array_agg(e.version order by e.seq_id),
                       array_agg({{S}}.audit_event_digest(e.seq_id, e.id, e.stream_id, e.version, e.type, e.timestamp, e.tenant_id, e.mt_dotnet_type,
                           e.correlation_id, e.causation_id, e.user_name, e.headers_text, e.data_text, e.bdata, e.is_archived) order by e.seq_id),
                       array_agg(sha256(convert_to(e.data_text, 'UTF8')) order by e.seq_id)
                  into seqs, streams, versions, digests, data_digests
                  -- The subquery's LIMIT keeps it a subquery: each event's jsonb is printed once, here, not at every use.
                  from (select x.*, x.data::text as data_text, x.headers::text as headers_text from {{S}}.mt_events x where x.seq_id > after
                          and not exists (select 1 from {{S}}.audit_seals s where s.event_sequence = x.seq_id)
                          and (not own_only or x.xmin = top or {{S}}.audit_written_here(x.xmin))
                          order by x.seq_id limit 10000) e;
                n := coalesce(array_length(seqs, 1), 0);
                exit when n = 0;
                perform {{S}}.audit_chain_append(seqs, streams, versions, digests, data_digests);
                total := total + n;
                after := seqs[n];
            end loop;
            return total;
        end
        $f$;

        -- At commit (a deferred constraint trigger, queued by each inserted event): the first firing seals every event
        -- the transaction wrote; the others find nothing noted and return at once. The chain's lock has been held since
        -- the transaction's first insert, so no other writer's events lie in between.
        create or replace function {{S}}.audit_seal_at_commit() returns trigger language plpgsql as
        $f$
        declare noted bigint := nullif(current_setting('ledger.audit_from', true), '')::bigint;
        begin
            if noted is null then return null; end if;
            perform set_config('ledger.audit_from', '', true);
            perform {{S}}.audit_seal_after(noted - 1, true);
            return null;
        end
        $f$;

        -- A database that held events before the chain existed: seal them once, in sequence order. Only while the
        -- chain is empty: an unsealed event beside existing seals is reported by verification, never sealed quietly.
        create or replace function {{S}}.audit_seal_existing() returns bigint language plpgsql as
        $f$
        begin
            perform pg_advisory_xact_lock({{LockKey}});
            if exists (select 1 from {{S}}.audit_seals) then return 0; end if;
            return {{S}}.audit_seal_after(-9223372036854775808, false);
        end
        $f$;

        drop trigger if exists audit_lock_chain on {{S}}.mt_streams;
        create trigger audit_lock_chain before insert or update on {{S}}.mt_streams for each statement
            when (current_setting('ledger.audit_locked', true) is distinct from 'yes') execute function {{S}}.audit_lock_chain();
        drop trigger if exists audit_lock_chain on {{S}}.mt_events;
        create trigger audit_lock_chain before insert on {{S}}.mt_events for each statement
            when (current_setting('ledger.audit_locked', true) is distinct from 'yes') execute function {{S}}.audit_lock_chain();
        -- Sealed once per transaction, at commit (v3), instead of once per insert statement (v2: Marten's append inserts
        -- event by event, so that was once per event).
        drop trigger if exists audit_seal_events on {{S}}.mt_events;
        drop function if exists {{S}}.audit_seal_inserted();
        create trigger audit_note_events after insert on {{S}}.mt_events for each row
            when (new.seq_id < coalesce(nullif(current_setting('ledger.audit_from', true), '')::bigint, 9223372036854775807))
            execute function {{S}}.audit_note_inserted();
        drop trigger if exists audit_seal_at_commit on {{S}}.mt_events;
        create constraint trigger audit_seal_at_commit after insert on {{S}}.mt_events deferrable initially deferred
            for each row execute function {{S}}.audit_seal_at_commit();

        comment on table {{S}}.audit_seals is '{{Version}}';
        """;

    private static readonly ConditionalWeakTable<IDocumentStore, Task> Ensured = new();

    /// <summary>
    /// Seals the transaction's events now, in a command that may run <paramref name="timeoutSeconds"/>, instead of inside
    /// COMMIT, which runs under the connection string's command timeout (Npgsql's 30 s unless it says otherwise): sealing a
    /// package of a few hundred thousand events outlasts that, and the package would be lost at commit. Made immediate, the
    /// deferred trigger fires for what is pending; deferred again, anything written after it would still be sealed at commit.
    /// </summary>
    public static async Task SealNowAsync(System.Data.Common.DbConnection connection, int timeoutSeconds, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"set constraints {S}.audit_seal_at_commit immediate; set constraints {S}.audit_seal_at_commit deferred";
        command.CommandTimeout = timeoutSeconds;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Makes sure the event tables, the seal table and the triggers exist, and seals the events of a database that
    /// held events before the chain existed (once, in sequence order). Cheap after the first call for a store.
    /// </summary>
    public static Task EnsureAsync(IDocumentStore store, CancellationToken ct = default)
    {
        lock (Ensured)
        {
            if (Ensured.TryGetValue(store, out var running) && !running.IsFaulted && !running.IsCanceled) return running;
            var task = ApplyAsync(store, ct);
            Ensured.AddOrUpdate(store, task);
            return task;
        }
    }

    /// <summary>Applies the script when the database holds another version or lacks a trigger; returns how many existing events it sealed.</summary>
    public static async Task<long> ApplyAsync(IDocumentStore store, CancellationToken ct)
    {
        // The triggers hang on Marten's event tables, which Marten creates on first use (with the stated-value tables).
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(JasperFx.Events.IEvent), ct);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        // The version alone is not enough: the seal table outlives Marten's event table, which Marten drops and creates again
        // (a reset of its objects), taking the triggers with it; events written then would go unsealed.
        await using (var check = new NpgsqlCommand($"""
            select obj_description(to_regclass('{Seals}'), 'pg_class') = '{Version}'
               and (select count(*) from pg_trigger
                    where tgrelid = to_regclass('{S}.mt_events') and tgname in ('audit_lock_chain', 'audit_note_events', 'audit_seal_at_commit')
                       or tgrelid = to_regclass('{S}.mt_streams') and tgname = 'audit_lock_chain') = 4
            """, connection))
        {
            if (await check.ExecuteScalarAsync(ct) is not true)
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                await using (var apply = new NpgsqlCommand(Script, connection, tx)) await apply.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
            }
        }
        await using var seal = new NpgsqlCommand($"select {S}.audit_seal_existing()", connection) { CommandTimeout = 0 };
        return (long)(await seal.ExecuteScalarAsync(ct))!;
    }
}
