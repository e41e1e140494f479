using System.Collections.Concurrent;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections.Entities;
using Marten;

namespace Ledger.Api.Http;

/// <summary>The period a route names, as the entity's profile keys its figures, and what was read of it.</summary>
public sealed record EntityPeriodRead<T>(Period Period, T Read);

/// <summary>
/// A read of one period of an entity (a figure, a statement) and the entity's profile in one round trip: a Marten batch.
/// Which period <c>FY2024</c> is depends on the entity's fiscal calendar, which is in the profile; the read is keyed by the
/// calendar the entity had when it was last read (the calendar year at first), and read again only when the profile loaded
/// with it says otherwise. Every answer is still worked out from the profile read with it.
/// </summary>
public static class EntityPeriodReads
{
    /// <returns>Null when the ledger does not hold the entity.</returns>
    public static async Task<EntityPeriodRead<T>?> LoadAsync<T>(IQuerySession session, EntityCalendars calendars, string entity, string period,
        Func<Period, IBatchQueryPlan<T>> read, CancellationToken ct)
    {
        // Every calendar places the same forms and years (the input's check used the calendar year's).
        if (!calendars.Of(entity).TryResolve(period, out var guessed)) throw new FormatException($"'{period}' is not a period ({Period.Forms}).");
        var batch = session.CreateBatchQuery();
        var profileRead = batch.Load<EntityProfile>(StreamKeys.Entity(entity));
        var guessedRead = batch.QueryByPlan(read(guessed));
        await batch.Execute(ct);
        if (await profileRead is not { } profile) return null;
        calendars.Remember(entity, profile.Calendar());
        var resolved = PeriodInput.Resolve(profile, period);
        if (resolved == guessed) return new(resolved, await guessedRead);
        var again = session.CreateBatchQuery();
        var rightRead = again.QueryByPlan(read(resolved));
        await again.Execute(ct);
        return new(resolved, await rightRead);
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
