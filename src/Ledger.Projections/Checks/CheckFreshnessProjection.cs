using JasperFx.Events;
using Ledger.Domain.Documents;
using Ledger.Domain.Entities;
using Ledger.Domain.Figures;
using Ledger.Domain.NonGaap;
using Ledger.Domain.PolicyChanges;
using Marten;
using Marten.Events.Projections;

namespace Ledger.Projections.Checks;

/// <summary>
/// Marks the entities whose checks an event may change (a document and its figures, a correction, a registration, a policy
/// change, declared calculations, a non-GAAP reconciliation): one upsert per batch, however many figures it holds. The
/// findings themselves are worked out on the next read of the entity's checks (<see cref="CheckFindings"/>): checks never
/// hold up recording, and an entity loaded many times in a row is checked once.
/// <para>Inline, so that a read right after a POST knows the entity changed.</para>
/// </summary>
public sealed class CheckFreshnessProjection(string schema) : IProjection
{
    public const string Name = "CheckFreshness";

    /// <summary>
    /// The events that mark an entity. Not the figures' own: every figure a document states is of its entity and is
    /// appended with its DocumentRecorded, in one transaction, so a rebuild reads these few events, not the whole log.
    /// </summary>
    public static readonly Type[] MarkingEvents =
    [
        typeof(DocumentRecorded), typeof(EntityRegistered), typeof(AccountingPolicyChangeAdopted), typeof(CalculationRelationsDeclared),
        typeof(NonGaapReconciliationDisclosed), typeof(DisclosureCorrected),
    ];

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var entities = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var entity = e.Data switch
            {
                DocumentRecorded r => r.Entity,
                EntityRegistered r => r.Entity,
                AccountingPolicyChangeAdopted a => a.Entity,
                CalculationRelationsDeclared c => c.Entity,
                NonGaapReconciliationDisclosed n => n.Entity,
                DisclosureCorrected c => EntityOf(c.Figure),
                _ => null,
            };
            if (entity is not null) entities.Add(entity);
        }
        if (entities.Count > 0)
            operations.QueueSqlCommand(
                $"insert into {schema}.{CheckTables.State} (entity, marked) select unnest(?::text[]), 1 " +
                $"on conflict (entity) do update set marked = {schema}.{CheckTables.State}.marked + 1",
                // In one order, so that two transactions marking the same entities never wait on each other crosswise.
                (object)entities.Order(StringComparer.Ordinal).ToArray());
        return Task.CompletedTask;
    }

    /// <summary>The entity of a figure key, its first part (688083.SH|Revenue|FY2023|consolidated).</summary>
    private static string EntityOf(string figure) => figure.IndexOf('|') is var bar and > 0 ? figure[..bar] : figure;
}
