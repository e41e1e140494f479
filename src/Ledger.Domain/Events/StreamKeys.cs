namespace Ledger.Domain.Events;

public static class StreamKeys
{
    public static string Document(string documentId) => $"document:{documentId}";

    /// <summary>The document whose stream this is, or null for another stream (an entity's, a figure's of older builds).</summary>
    public static string? DocumentIdOf(string? streamKey) =>
        streamKey is not null && streamKey.StartsWith("document:", StringComparison.Ordinal) ? streamKey["document:".Length..] : null;
    public static string Entity(string entity) => $"entity:{entity}";
    public static string Reconciliation(string entity, string measure, string period, string dims) =>
        $"reconciliation:{entity}|{measure}|{period}|{dims}";
}
