using Ledger.Domain.Figures;
using Ledger.Projections.Figures;
using Marten;

namespace Ledger.Projections.Statements;

/// <summary>
/// What one batch of figure events does to the statements' lines (<see cref="StatementLineTable"/>): the figures whose
/// stated values it adds to or withdraws from, in the order it does it. Their lines are then worked out again, whole, from
/// the figures' rows as they stood before the batch with the batch's changes applied to them in memory, and replaced in
/// the same unit of work (<see cref="QueueAsync"/>).
/// </summary>
internal sealed class StatementLineChanges
{
    private readonly Dictionary<string, List<(StatedValue? Added, string? WithdrawnBy)>> _changes = new(StringComparer.Ordinal);

    public void Added(string figure, StatedValue value) => Of(figure).Add((value, null));

    /// <summary>A transcription correction withdrew what <paramref name="document"/> stated (or cited) for the figure (<see cref="StatedValuesCopyRebuild.Withdraws"/>).</summary>
    public void Withdrawn(string figure, string document) => Of(figure).Add((null, document));

    private List<(StatedValue?, string?)> Of(string figure)
    {
        if (!_changes.TryGetValue(figure, out var list)) _changes[figure] = list = [];
        return list;
    }

    /// <summary>
    /// Queues the changed figures' lines in place of their old ones. The figures' rows are read under the writers' lock
    /// (<paramref name="writersLock"/>, the lock that seals the log, held to commit): a write that changed the same
    /// figures before has committed, and one after waits for this one and reads its rows. Without it two loads sharing a
    /// figure could each work out its lines without the other's rows. It holds only where the session is enlisted in a
    /// transaction opened before it (every write of figures is: Ingestion/SealedWrite); a session that opens its own
    /// transaction at SaveChanges would take the lock and read the rows in autocommit, outside its write.
    /// </summary>
    public async Task QueueAsync(IDocumentOperations operations, string schema, long writersLock, CancellationToken ct)
    {
        if (_changes.Count == 0) return;
        await operations.AdvancedSql.QueryAsync<int>("select 1 from pg_advisory_xact_lock(?)", ct, writersLock);
        var before = await FigureReads.ForStatementAsync(operations, _changes.Keys, ct);
        var stood = new Dictionary<string, IReadOnlyList<StatedValue>>(before.Count, StringComparer.Ordinal);
        foreach (var figure in before) stood[figure.Id] = figure.Statements;
        var keyParts = new KeyParts();
        var lines = new List<(string Entity, KnownStatementLine Known)>(_changes.Count);
        foreach (var (figure, changes) in _changes)
        {
            var statements = stood.TryGetValue(figure, out var rows) ? new List<StatedValue>(rows) : [];
            foreach (var (added, withdrawnBy) in changes)
                if (added is not null) statements.Add(added);
                else statements.RemoveAll(s => StatedValuesCopyRebuild.Withdraws(withdrawnBy!, s));
            var history = FigureHistory.Of(figure, statements, [], keyParts);
            foreach (var known in KnownStatementLines.Of(history)) lines.Add((history.Entity, known));
        }
        // Lines are worked out from a figure's rows: a figure that had none before this batch has no lines to replace.
        StatementLineRows.Queue(operations, schema, stood.Keys, lines);
    }
}
