using Ledger.Domain.Values;

namespace Ledger.Domain.Events;

/// <summary>Where in a document a value is printed, as the document prints it.</summary>
public sealed record Location(
    int? Page = null,
    string? Section = null,
    string? Table = null,
    string? Row = null,
    string? Column = null,
    int? Line = null);

/// <summary>
/// Who recorded an event (the API key's name, never the key), why, when by the ledger's clock (system time),
/// and under which request (its correlation id). All of it is in the payload, the time to the microsecond
/// PostgreSQL keeps, so that a rebuilt view shows exactly what the live one did.
/// </summary>
public sealed record Recording(
    string RecordedBy, string Reason, DateTimeOffset RecordedAt = default,
    // Left out when absent, so that a recording made before correlation ids serializes as it did.
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? CorrelationId = null)
{
    public Recording At(DateTimeOffset now) => this with { RecordedAt = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero) };
}

/// <summary>
/// A document as an event sees it. <see cref="PublishedOn"/> is the knowledge date; when a figure
/// belongs to a document the ledger knows only by citation (a 调整前 column), its date is unknown and
/// <see cref="KnownNoLaterThan"/> holds the citing document's date instead.
/// </summary>
public sealed record DocumentRef(string Id, DateOnly? PublishedOn, DateOnly? KnownNoLaterThan = null, string? CitedBy = null,
    // The SEC form of a document imported from filings (10-K, 10-Q/A); left out for any other document.
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Form = null)
{
    [System.Text.Json.Serialization.JsonIgnore] public bool DateUnknown => PublishedOn is null;
}

/// <summary>A value as one document states it: the exact amount and the characters it was read from.</summary>
public sealed record Statement(Amount Value, string? Printed = null, string? Scale = null);

public static class RestatementReasons
{
    public const string PolicyChange = "policy-change";
    public const string ErrorCorrection = "error-correction";
    public const string Reclassification = "reclassification";
    public const string ShareCapitalisation = "share-capitalisation";
    public const string CommonControlCombination = "common-control-combination";
    public const string Other = "other";
    /// <summary>An amended filing (10-K/A) states a different value; the filing says no more.</summary>
    public const string Amendment = "amendment";
    /// <summary>A share split (or consolidation): share counts and per-share amounts of earlier periods changed by one factor.</summary>
    public const string ShareSplit = "share-split";

    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        PolicyChange, ErrorCorrection, Reclassification, ShareCapitalisation, CommonControlCombination, Other, Amendment, ShareSplit,
    };
}

/// <summary>One cause of a restatement; <see cref="PolicyChange"/> names the policy change where there is one.</summary>
public sealed record RestatementReason(string Kind, string? PolicyChange = null,
    // What more the reason says: "inferred, factor 4" for a share split the ledger inferred. Left out when absent.
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Detail = null);
