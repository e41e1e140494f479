using Marten;
using Marten.Linq.QueryHandlers;
using Marten.Services.BatchQuerying;

namespace Ledger.Projections;

/// <summary>
/// A read written as a Marten batch item (<see cref="Fetch(IBatchedQuery)"/>), so that an endpoint can send it in one
/// round trip with another read; on its own, it is a batch of one.
/// </summary>
public abstract class BatchQueryPlan<T> : IQueryPlan<T>, IBatchQueryPlan<T>
{
    public async Task<T> Fetch(IQuerySession session, CancellationToken token)
    {
        var batch = session.CreateBatchQuery();
        var read = Fetch(batch);
        await batch.Execute(token);
        return await read;
    }

    public abstract Task<T> Fetch(IBatchedQuery query);
}
