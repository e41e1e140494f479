using System.Collections.Concurrent;
using Ledger.Api.Http;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections;
using Ledger.Projections.Entities;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.Api.Entities;

/// <summary>
/// The period a route names, as the entity's profile keys its figures, and what was read of it, in how many round trips
/// (one, or two when the calendar the read was keyed by was not the entity's).
/// </summary>
public sealed record EntityPeriodRead<T>(Period Period, T Read, int RoundTrips = 1);

/// <summary>
/// A read of one period of an entity (a figure, a statement) and the entity's profile in one round trip: one prepared
/// batch (<see cref="PreparedReads"/>), the profile's row first. Which period <c>FY2024</c> is depends on the entity's
/// fiscal calendar, which is in the profile; the read is keyed by the calendar the entity had when it was last read (the
/// calendar year at first), and read again only when the profile loaded with it says otherwise. Every answer is still
/// worked out from the profile read with it.
/// </summary>
public static class EntityPeriodReads
{
    /// <returns>Null when the ledger does not hold the entity.</returns>
    public static async Task<EntityPeriodRead<T>?> LoadAsync<T>(IQuerySession session, EntityCalendars calendars, string entity, string period,
        Func<Period, IPreparedRead<T>> read, CancellationToken ct)
    {
        // Every calendar places the same forms and years (the input's check used the calendar year's).
        if (!calendars.Of(entity).TryResolve(period, out var guessed)) throw new FormatException($"'{period}' is not a period ({Period.Forms}).");
        await using var connection = await PreparedReads.OpenAsync(session, ct);
        var (profile, guessedRead) = await PreparedReads.RunAsync(connection, PreparedReads.Schema(session),
            new ProfileAnd<T>(session.DocumentStore.Options, entity, read(guessed)), ct);
        if (profile is null) return null;
        calendars.Remember(entity, profile.Calendar());
        var resolved = PeriodInput.Resolve(profile, period);
        if (resolved == guessed) return new(resolved, guessedRead);
        return new(resolved, await PreparedReads.RunAsync(connection, PreparedReads.Schema(session), read(resolved), ct), RoundTrips: 2);
    }

    /// <summary>The entity's profile row, then the read's, as one prepared batch (run by <see cref="PreparedReads.RunAsync{T}(NpgsqlConnection, string, IPreparedRead{T}, CancellationToken)"/>).</summary>
    private sealed class ProfileAnd<T>(IReadOnlyStoreOptions options, string entity, IPreparedRead<T> read) : IPreparedRead<(EntityProfile? Profile, T Read)>
    {
        public IEnumerable<NpgsqlBatchCommand> Commands(string schema) =>
        [
            // The profile's row as Marten stores it (a plain document: its JSON in `data`), read with Marten's serializer.
            PreparedReads.Command($"select data from {options.Schema.For<EntityProfile>()} where id = $1",
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = StreamKeys.Entity(entity) }),
            .. read.Commands(schema),
        ];

        public async Task<(EntityProfile? Profile, T Read)> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
        {
            var profile = await reader.ReadAsync(ct) ? options.Serializer().FromJson<EntityProfile>(reader, 0) : null;
            if (!await reader.NextResultAsync(ct)) throw new InvalidOperationException("The read's result sets are missing: the batch asks for them after the profile's.");
            return (profile, await read.ReadAsync(reader, ct));
        }
    }
}

/// <summary>The fiscal calendar each entity had when it was last read: the guess <see cref="EntityPeriodReads"/> keys a read by.</summary>
public sealed class EntityCalendars
{
    // A guess, checked against the profile at every read: forgetting costs one more query, never a wrong answer.
    private const int MaxEntities = 100_000;
    private readonly ConcurrentDictionary<string, FiscalCalendar> _calendars = new(StringComparer.Ordinal);

    public FiscalCalendar Of(string entity) => _calendars.GetValueOrDefault(entity) ?? FiscalCalendar.CalendarYear;

    public void Remember(string entity, FiscalCalendar calendar)
    {
        // Called at every read: the dictionary's lock-free reads first, a write (and its lock) only when something changed.
        var known = _calendars.TryGetValue(entity, out var c) ? c : FiscalCalendar.CalendarYear;
        if (known == calendar) return;
        if (calendar.IsCalendarYear) { _calendars.TryRemove(entity, out _); return; }
        if (_calendars.Count >= MaxEntities) _calendars.Clear();
        _calendars[entity] = calendar;
    }
}
