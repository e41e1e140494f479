using Ledger.Domain.Ingestion;

namespace Ledger.Api.Ingestion;

/// <summary>A package of a bulk load: its name (a file's) and how to read its bytes, which the load does more than once.</summary>
public sealed record BulkPackage(string Name, Func<byte[]> Read);

/// <summary>What the first reading keeps of a package: its document's date and id, and the streams it refers to.</summary>
internal sealed record PackageSkim(string Date, string Id, string[] EntityStreams, string[] DocumentStreams)
{
    public static PackageSkim Of(DisclosurePackage package)
    {
        var (entities, documents) = (new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        DisclosureIngestion.AddReferences(package, entities, documents);
        return new PackageSkim(package.Document?.PublishedOn ?? "~", package.Document?.Id ?? "", [.. entities], [.. documents]);
    }
}
