using System.Security.Cryptography;
using System.Text.Json;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;

namespace Ledger.Api.Ingestion;

/// <summary>
/// A package's bytes as read, before the ledger is consulted: what its document says once (its facts and restatements
/// left in the bytes, read one at a time when needed: <see cref="PackageItems{T}"/>), what it refers to, the SHA-256 of
/// its bytes and the recording stamped with the time it came; or, when the bytes are not a package, the answer that
/// says why.
/// </summary>
public sealed class ReceivedPackage
{
    private ReceivedPackage(byte[] body, string hash, Recording recording, DisclosurePackage? package, IngestionResult? refusal) =>
        (Body, Hash, Recording, Package, Refusal) = (body, hash, recording, package, refusal);

    public byte[] Body { get; }
    public string Hash { get; }
    public Recording Recording { get; }
    public IngestionResult? Refusal { get; }

    public DisclosurePackage? Package { get; }

    public string? DocumentId => Package?.Document?.Id?.Trim();
    public string? CorrectionReason { get; private init; }
    public bool IsCorrection { get; private init; }

    public static ReceivedPackage Read(byte[] body, Recording recording, TimeProvider clock)
    {
        recording = recording.At(clock.GetUtcNow());
        var (package, errors) = Parse(body, streamed: true);
        if (package is not null)
        {
            var (entities, documents) = (new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
            try
            {
                // The first pass over the facts, one at a time: what they cite, and the first that is not a fact.
                DisclosureIngestion.AddReferences(package, entities, documents);
                return new ReceivedPackage(body, ContentHash(body), recording, package, null)
                    { IsCorrection = package.Correction is not null, CorrectionReason = package.Correction?.Reason, EntityStreams = entities, DocumentStreams = documents };
            }
            catch (JsonException e)
            {
                errors = [Malformed(e)];
            }
        }
        return new ReceivedPackage(body, "", recording, null, new IngestionResult(IngestionOutcome.Invalid, null, 0, Errors: errors));
    }

    /// <summary>The streams of the entities and documents the package refers to (its own entity's included).</summary>
    public IReadOnlySet<string> EntityStreams { get; private init; } = new HashSet<string>();

    public IReadOnlySet<string> DocumentStreams { get; private init; } = new HashSet<string>();

    /// <summary>
    /// A package's bytes checked (size, text) and read into its object graph, or the errors that say why not: the same
    /// for every path that takes packages. The handler's (<paramref name="streamed"/>) leaves the facts and restatements in
    /// the bytes, to be read one at a time (<see cref="PackageItems{T}"/>); the bulk load reads all of them here.
    /// </summary>
    public static (DisclosurePackage? Package, PackageError[] Errors) Parse(byte[] body, bool streamed = false)
    {
        if (body.Length > DisclosureIngestion.MaxPackageBytes)
            return (null, [new PackageError("$", $"the package is {body.Length} bytes; the limit is {DisclosureIngestion.MaxPackageBytes}")]);
        if (PackageText.Check(body) is { Count: > 0 } textErrors) return (null, [.. textErrors]);
        try
        {
            var package = streamed
                ? StreamedPackages.Read(body, DisclosureIngestion.PackageJson)
                : JsonSerializer.Deserialize<DisclosurePackage>(body, DisclosureIngestion.PackageJson);
            return package is not null ? (package, []) : (null, [new PackageError("$", "the package is empty")]);
        }
        catch (JsonException e)
        {
            return (null, [Malformed(e)]);
        }
    }

    private static PackageError Malformed(JsonException e) => new(e.Path ?? "$", $"malformed JSON: {e.Message.Split(" Path:")[0]}");

    /// <summary>What a package's record and bytes are kept under: the lower-case hex SHA-256 of its bytes.</summary>
    public static string ContentHash(byte[] body) => Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant();
}
