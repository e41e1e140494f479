using System.Security.Cryptography;
using System.Text.Json;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;

namespace Ledger.Api.Ingestion;

/// <summary>
/// A package's bytes as read, before the ledger is consulted: its object graph, the SHA-256 of its bytes and the
/// recording stamped with the time it came; or, when the bytes are not a package, the answer that says why.
/// </summary>
public sealed class ReceivedPackage
{
    private ReceivedPackage(byte[] body, string hash, Recording recording, DisclosurePackage? package, IngestionResult? refusal) =>
        (Body, Hash, Recording, Package, Refusal) = (body, hash, recording, package, refusal);

    public byte[] Body { get; }
    public string Hash { get; }
    public Recording Recording { get; }
    public IngestionResult? Refusal { get; }

    /// <summary>The object graph, until the package has been read into a plan (<see cref="Forget"/>).</summary>
    public DisclosurePackage? Package { get; private set; }

    public string? DocumentId => Package?.Document?.Id?.Trim() ?? _documentId;
    public string? CorrectionReason { get; private set; }
    public bool IsCorrection { get; private set; }
    private string? _documentId;

    public static ReceivedPackage Read(byte[] body, Recording recording, TimeProvider clock)
    {
        recording = recording.At(clock.GetUtcNow());
        var (package, errors) = Parse(body);
        if (package is null) return new ReceivedPackage(body, "", recording, null, new IngestionResult(IngestionOutcome.Invalid, null, 0, Errors: errors));
        return new ReceivedPackage(body, ContentHash(body), recording, package, null)
            { IsCorrection = package.Correction is not null, CorrectionReason = package.Correction?.Reason };
    }

    /// <summary>
    /// A package's bytes checked (size, text) and read into its object graph, or the errors that say why not: the same
    /// for every path that takes packages (the handler, the bulk load).
    /// </summary>
    public static (DisclosurePackage? Package, PackageError[] Errors) Parse(byte[] body)
    {
        if (body.Length > DisclosureIngestion.MaxPackageBytes)
            return (null, [new PackageError("$", $"the package is {body.Length} bytes; the limit is {DisclosureIngestion.MaxPackageBytes}")]);
        if (PackageText.Check(body) is { Count: > 0 } textErrors) return (null, [.. textErrors]);
        try
        {
            return JsonSerializer.Deserialize<DisclosurePackage>(body, DisclosureIngestion.PackageJson) is { } package
                ? (package, [])
                : (null, [new PackageError("$", "the package is empty")]);
        }
        catch (JsonException e)
        {
            return (null, [new PackageError(e.Path ?? "$", $"malformed JSON: {e.Message.Split(" Path:")[0]}")]);
        }
    }

    /// <summary>What a package's record and bytes are kept under: the lower-case hex SHA-256 of its bytes.</summary>
    public static string ContentHash(byte[] body) => Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant();

    /// <summary>
    /// Lets the object graph go once the plan says all of it: a package of 100,000 facts is written in chunks, and its
    /// graph would otherwise stay in memory beside them until the handler returns.
    /// </summary>
    public void Forget()
    {
        _documentId = DocumentId;
        Package = null;
    }
}
