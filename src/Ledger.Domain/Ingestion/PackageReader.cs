using Ledger.Domain.Concepts;
using Ledger.Domain.Entities;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;

namespace Ledger.Domain.Ingestion;

/// <summary>
/// Reads a disclosure package into events. Pure: the ledger's state comes in as a <see cref="LedgerContext"/>.
/// It collects every error before answering, so that a preparer fixes a package in one round.
/// </summary>
public sealed class PackageReader(ConceptCatalog catalog)
{
    public const int MaxFacts = 100_000;
    /// <summary>The languages a document is written in and an entity is named in.</summary>
    public static readonly IReadOnlySet<string> Languages = new HashSet<string>(["zh-Hans", "zh-Hant", "en"], StringComparer.Ordinal);

    /// <summary>The accounting standards an entity reports under.</summary>
    public static readonly IReadOnlySet<string> Standards = new HashSet<string>(["CAS", "IFRS", "HKFRS", "US-GAAP"], StringComparer.Ordinal);
    internal static readonly IReadOnlySet<string> Kinds = new HashSet<string>(["annual-report", "interim-report", "quarterly-report", "results-announcement", "press-release", "prospectus"], StringComparer.Ordinal);

    public const string EntityIdRule = "an entity id is 1 to 64 characters, not . or .., without spaces, control characters or any of | / ; = # ? % (it is the first part of every figure key and document id)";

    public const string DocumentIdRule = "a document id is '{entity}/{slug}', its slug 1 to 128 characters, not . or .., without spaces, control characters or any of | / ; = # ? % (it is one segment of the document's URL)";

    public const string PolicyChangeIdRule = "a policy change id is 1 to 64 characters, not . or .., without spaces, control characters or any of | / ; = # ? % (it is one segment of its reconciliation's URL)";

    /// <summary>An id that can lead a figure key (<c>|</c>-separated), a document id (<c>{entity}/…</c>) and a URL path segment.</summary>
    public static bool IsEntityId(string id) => IsIdSegment(id, 64);

    /// <summary>A document id: an entity id, <c>/</c>, and a slug that is one URL path segment (<c>/api/entities/{entity}/documents/{slug}</c>).</summary>
    public static bool IsDocumentId(string id)
    {
        var slash = id.IndexOf('/');
        return slash > 0 && IsEntityId(id[..slash]) && IsIdSegment(id[(slash + 1)..], 128);
    }

    /// <summary>A policy change's id: one URL path segment (<c>/api/entities/{entity}/policy-changes/{id}/reconciliation</c>).</summary>
    public static bool IsPolicyChangeId(string id) => IsIdSegment(id, 64);

    /// <summary>One URL path segment that a client sends as it is: not "." or ".." (which clients collapse), no separator.</summary>
    private static bool IsIdSegment(string id, int maxLength)
    {
        if (id.Length == 0 || id.Length > maxLength || id is "." or "..") return false;
        foreach (var c in id)
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '|' or '/' or ';' or '=' or '#' or '?' or '%') return false;
        return true;
    }

    public (PackagePlan? Plan, IReadOnlyList<PackageError> Errors) Read(
        DisclosurePackage package, LedgerContext ledger, Recording recording, string contentHash)
    {
        var r = new PackageWalk(catalog, ledger, recording);
        // Facts held in memory keep their events; facts still in the package's bytes are read again for their events.
        var kept = StreamedPackages.IsStreamed(package) ? null : new List<PlannedEvent>();
        var (count, registered, repeated, restated) = (0, new List<string>(), new HashSet<string>(StringComparer.Ordinal), new List<FigureRestated>());
        // Figures seen, by a 64-bit hash of their key rather than the key: 100,000 figures in a few megabytes. A figure seen
        // again is repeated; one that only shares a hash with another is taken for repeated too, which costs nothing but memory.
        var seen = new HashSet<long>();
        foreach (var e in r.Walk(package, contentHash))
        {
            count++;
            kept?.Add(e);
            if (e.Event is EntityRegistered entity) registered.Add(entity.Entity);
            if (e.Event is FigureRestated restatement) restated.Add(restatement);
            if (e.Event switch { FigureDisclosed d => d.Figure, FigureRestated x => x.Figure, _ => null } is { } figure && !seen.Add(Fnv1a(figure)))
                repeated.Add(figure);
        }
        if (r.Errors.Count > 0 || r.Plan is not { } plan) return (null, r.Errors);
        return (plan with
        {
            Events = (IEnumerable<PlannedEvent>?)kept ?? new Replay(() => new PackageWalk(catalog, ledger, recording), package, contentHash),
            EventCount = count, RegisteredEntities = registered, RepeatedFigures = repeated, Restated = restated,
        }, r.Errors);
    }

    /// <summary>FNV-1a, 64 bits, of a string's UTF-16 code units: the same in every process, unlike string.GetHashCode.</summary>
    private static long Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text) hash = (hash ^ c) * 1099511628211UL;
        return unchecked((long)hash);
    }

    /// <summary>A valid package's events read again from it, each time they are enumerated.</summary>
    private sealed class Replay(Func<PackageWalk> run, DisclosurePackage package, string contentHash) : IEnumerable<PlannedEvent>
    {
        public IEnumerator<PlannedEvent> GetEnumerator()
        {
            var r = run();
            foreach (var e in r.Walk(package, contentHash)) yield return e;
            // The same bytes read against the same ledger: an error now would be a reader that is not a function of them.
            if (r.Errors.Count > 0) throw new InvalidOperationException($"a package read again found {r.Errors[0].Path}: {r.Errors[0].Message}");
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
