using JasperFx.Events.Projections;
using Marten;

namespace Ledger.Projections.Documents;

/// <summary>Registration of the document summaries: inline, as ingestion reads them (idempotency, corrections) and the document list follows a load.</summary>
public static class DocumentViews
{
    public static void Register(StoreOptions opts)
    {
        opts.Projections.Add<DocumentSummaryProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<DocumentSummary>().Index(x => x.Entity);
    }
}
