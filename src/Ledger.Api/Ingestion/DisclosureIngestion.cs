using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Api.Database;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.History;
using Ledger.Domain.Packages;
using Ledger.Projections.Figures;
using Marten;
using Marten.Exceptions;
using Ledger.Projections.Documents;
using Ledger.Projections.Entities;

namespace Ledger.Api.Ingestion;

public enum IngestionOutcome { Recorded, AlreadyLoaded, Corrected, Invalid, Conflict }

/// <summary>A figure whose value a package states differently from the ledger.</summary>
public sealed record FigureDifference(string Figure, string? Ledger, string? Package);

public sealed record IngestionWarning(string Figure, string Message);

public sealed record IngestionResult(
    IngestionOutcome Outcome,
    string? DocumentId,
    int Recorded,
    int Facts = 0,
    int Restatements = 0,
    int Reconciliations = 0,
    IReadOnlyList<PackageError>? Errors = null,
    IReadOnlyList<FigureDifference>? Differences = null,
    IReadOnlyList<IngestionWarning>? Warnings = null,
    string? Message = null);

/// <summary>
/// Applies one disclosure package atomically: every event it implies, in one transaction, or none.
/// Used by POST /api/disclosures, by the seed loader and by the command-line loader alike.
/// </summary>
public sealed class DisclosureIngestion(IDocumentStore store, ConceptCatalog catalog, TimeProvider clock)
{
    public const int MaxPackageBytes = 32 * 1024 * 1024;

    public static readonly JsonSerializerOptions PackageJson = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public async Task<IngestionResult> IngestAsync(byte[] body, Recording recording, CancellationToken ct)
    {
        // Every event this path writes is sealed by the database's triggers; make sure they exist (once per store).
        await Audit.AuditChainSchema.EnsureAsync(store, ct);
        if (body.Length > MaxPackageBytes)
            return Invalid(null, new PackageError("$", $"the package is {body.Length} bytes; the limit is {MaxPackageBytes}"));
        if (PackageText.Check(body) is { Count: > 0 } textErrors) return Invalid(null, [.. textErrors]);
        DisclosurePackage? package;
        try
        {
            package = JsonSerializer.Deserialize<DisclosurePackage>(body, PackageJson);
        }
        catch (JsonException e)
        {
            return Invalid(null, new PackageError(e.Path ?? "$", $"malformed JSON: {e.Message.Split(" Path:")[0]}"));
        }
        if (package is null) return Invalid(null, new PackageError("$", "the package is empty"));

        var hash = Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant();
        recording = recording.At(clock.GetUtcNow());
        await using var session = store.LightweightSession(new Marten.Services.SessionOptions
            { Timeout = WriteTimeoutSeconds((package.Facts?.Count ?? 0) + (package.Restatements?.Count ?? 0)) });
        Describe(session, recording);
        var documentId = package.Document?.Id?.Trim();

        var existing = documentId is null ? null : await session.LoadAsync<LoadedPackage>(documentId, ct);
        if (existing is not null && existing.ContentHash == hash)
            return new IngestionResult(IngestionOutcome.AlreadyLoaded, documentId, 0, Message: "This package is already loaded; nothing was recorded.");

        var context = await ContextFor(session, package, ct);
        var (plan, errors) = new PackageReader(catalog).Read(package, context, recording, hash);
        if (plan is null) return Invalid(documentId, errors.ToArray());
        var content = PackageContent.Of(plan);

        if (existing is not null)
        {
            var differences = Diff(existing, content);
            var otherChanged = existing.OtherContentSignature != content.Other;
            if (differences.Count == 0 && !otherChanged)
                return new IngestionResult(IngestionOutcome.AlreadyLoaded, plan.DocumentId, 0,
                    Message: "This package states what the loaded one states (only its formatting differs); nothing was recorded.");
            if (package.Correction is null || otherChanged)
                return new IngestionResult(IngestionOutcome.Conflict, plan.DocumentId, 0,
                    Differences: otherChanged ? [.. differences, new FigureDifference("(document details, entities, policy changes or non-GAAP reconciliations)", null, null)] : differences,
                    Message: package.Correction is null
                        ? $"Document '{plan.DocumentId}' is already loaded from a different package. Mark the package as a correction " +
                          "(\"correction\": {\"reason\": \"...\"}) if it fixes the ledger's transcription of its figures."
                        : "A correction fixes the transcription of figures; this one also changes the document's details, entities, " +
                          "policy changes or non-GAAP reconciliations, which a correction cannot change yet. Nothing was recorded.");
            return await CorrectAsync(session, plan, existing, content, differences, body, hash, recording, package.Correction.Reason, ct);
        }

        var warnings = await RestatementWarnings(session, plan, ct);
        var loaded = content.ToLoadedPackage(plan.DocumentId, hash);
        // The package's object graph is no longer needed (the plan says all of it): let it go before the writing.
        package = null;
        if (await RecordAsync(plan, loaded, body, recording, WriteTimeoutSeconds(plan.Facts + plan.Restatements), ct) is { } conflict) return conflict;
        return new IngestionResult(IngestionOutcome.Recorded, plan.DocumentId, plan.Events.Count,
            plan.Facts, plan.Restatements, plan.Reconciliations, Warnings: warnings);
    }

    /// <summary>
    /// Events one session writes: a package is written in chunks of this many, each by its own session, all in one
    /// transaction, so that only one chunk's unit of work, serialized events and inline rows are in memory at a time,
    /// whatever the package's size, and the package still lands whole or not at all.
    /// </summary>
    internal const int ChunkEvents = 4_000;

    /// <summary>Writes the plan's events and the loaded package in one transaction, chunk by chunk; a conflict as an answer, else null.</summary>
    private async Task<IngestionResult?> RecordAsync(PackagePlan plan, LoadedPackage loaded, byte[] body, Recording recording, int timeoutSeconds, CancellationToken ct)
    {
        await using var write = await SealedWrite.BeginAsync(store, recording, timeoutSeconds, ct);
        var documentStream = StreamKeys.Document(plan.DocumentId);
        var started = false;
        try
        {
            for (var at = 0; at < plan.Events.Count; at += ChunkEvents)
            {
                await using var session = write.Session();
                foreach (var group in plan.Events.Skip(at).Take(ChunkEvents).GroupBy(e => e.Stream))
                {
                    var events = group.Select(e => e.Event).ToArray();
                    // Starting the document's stream makes a concurrent load of the same document fail, not double up.
                    if (group.Key == documentStream && !started) { session.Events.StartStream(group.Key, events); started = true; }
                    else session.Events.Append(group.Key, events);
                }
                if (at + ChunkEvents >= plan.Events.Count)
                {
                    session.Store(loaded);
                    PackageBodies.Store(session, plan.DocumentId, loaded.ContentHash, body);
                }
                await session.SaveChangesAsync(ct);
            }
            await write.CommitAsync(ct);
            return null;
        }
        catch (Exception e) when (e is ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException or JasperFx.ConcurrencyException)
        {
            // The same document, or a stream both packages add to (a new entity both register, one entity's policy changes or
            // calculations, one reconciliation), was written by a request at the same time. Shared figures do not conflict.
            return new IngestionResult(IngestionOutcome.Conflict, plan.DocumentId, 0,
                Message: $"Another load wrote '{plan.DocumentId}', or its entity's or reconciliations' streams, at the same time; nothing was recorded. Post again.");
        }
    }

    /// <summary>
    /// Replaces, figure by figure, what the ledger holds from the document with what the corrected package says
    /// it states. The document's stream is read for writing, so that two corrections at once cannot both land.
    /// </summary>
    private static async Task<IngestionResult> CorrectAsync(IDocumentSession session, PackagePlan plan, LoadedPackage existing,
        PackageContent content, IReadOnlyList<FigureDifference> differences, byte[] body, string hash,
        Recording recording, string? reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason)) return Invalid(plan.DocumentId, new PackageError("$.correction.reason", "is required"));
        var correctionRecording = recording with { Reason = reason };
        var document = await session.Events.FetchForWriting<DocumentSummary>(StreamKeys.Document(plan.DocumentId), ct);
        // Another correction landed between reading the loaded package and here: this one was worked out against stale state.
        if (document.Aggregate?.ContentHash != existing.ContentHash)
            return new IngestionResult(IngestionOutcome.Conflict, plan.DocumentId, 0,
                Message: $"Document '{plan.DocumentId}' was changed by another request at the same time; nothing was recorded. Post again.");
        var changed = differences.Select(d => d.Figure).ToArray();
        // What the ledger held from the document, so that each correction says "from" as well as "to".
        var histories = (await FigureReads.LoadManyAsync(session, changed, ct)).ToDictionary(h => h.Id, StringComparer.Ordinal);
        var previous = histories.ToDictionary(h => h.Key,
            h => h.Value.Statements.Where(s => s.Document.Id == plan.DocumentId && s.Kind != StatementKinds.Cited).Select(s => s.Value).ToList(), StringComparer.Ordinal);
        var previouslyCited = histories.ToDictionary(h => h.Key,
            h => h.Value.Statements.Where(s => s.CitedBy == plan.DocumentId).Select(s => s.Document.Id).Distinct().ToList(), StringComparer.Ordinal);
        var events = plan.Events.Select(e => e.Event).ToList();
        foreach (var figure in changed)
        {
            document.AppendOne(new DisclosureCorrected(figure, plan.DocumentId, previous.GetValueOrDefault(figure) ?? [],
                events.OfType<FigureDisclosed>().Where(d => d.Figure == figure).ToList(),
                events.OfType<FigureRestated>().Where(r => r.Figure == figure).ToList(),
                correctionRecording, previouslyCited.GetValueOrDefault(figure) ?? []));
        }
        document.AppendOne(new DocumentTranscriptionCorrected(plan.DocumentId, existing.ContentHash, hash, changed.Length, correctionRecording,
            plan.Facts, plan.Restatements));
        session.Store(content.ToLoadedPackage(plan.DocumentId, hash));
        PackageBodies.Store(session, plan.DocumentId, hash, body);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (JasperFx.ConcurrencyException)
        {
            return new IngestionResult(IngestionOutcome.Conflict, plan.DocumentId, 0,
                Message: $"Document '{plan.DocumentId}' was changed by another request at the same time; nothing was recorded.");
        }
        return new IngestionResult(IngestionOutcome.Corrected, plan.DocumentId, changed.Length + 1, plan.Facts, plan.Restatements, plan.Reconciliations,
            Differences: differences, Message: $"{changed.Length} figure(s) of the ledger's transcription corrected.");
    }

    /// <summary>
    /// A package is one transaction, and the largest legal one (<see cref="PackageReader.MaxFacts"/>) can keep PostgreSQL
    /// busy past Npgsql's default 30 s (its last command also seals every event it wrote): the timeout grows with the
    /// package's facts and restatements, 30 s plus a second per 200 (100,000: 530 s), so that only a stuck database times out.
    /// </summary>
    internal static int WriteTimeoutSeconds(int values) => 30 + values / 200;

    /// <summary>Who recorded the events and why, in Marten's own event metadata too, for tools that read the event store directly.</summary>
    internal static void Describe(IDocumentSession session, Recording recording)
    {
        session.LastModifiedBy = recording.RecordedBy;
        session.CorrelationId = recording.CorrelationId;
        session.SetHeader("reason", recording.Reason);
    }

    internal static Task<LedgerContext> ContextFor(IQuerySession session, DisclosurePackage package, CancellationToken ct) =>
        ContextFor(session, [package], ct);

    /// <summary>What the ledger holds that any of the packages refers to (entities, documents, policy changes), in one read.</summary>
    internal static async Task<LedgerContext> ContextFor(IQuerySession session, IReadOnlyList<DisclosurePackage> packages, CancellationToken ct)
    {
        var entityIds = packages.SelectMany(package => new[] { package.Document?.Entity }.Concat(package.Entities?.Select(e => e?.Id) ?? []))
            .Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => StreamKeys.Entity(id!.Trim())).Distinct().ToArray();
        var profiles = entityIds.Length == 0 ? [] : await session.LoadManyAsync<EntityProfile>(ct, entityIds);
        var documentIds = packages.SelectMany(package => (package.CitedDocuments?.Select(c => c?.Id) ?? [])
                .Concat(package.Restatements?.Select(r => r?.PreviouslyReportedIn) ?? [])
                .Concat(package.Facts?.Select(f => f?.PreviouslyReportedIn) ?? []))
            .Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => StreamKeys.Document(id!.Trim())).Distinct().ToArray();
        var documents = documentIds.Length == 0 ? [] : await session.LoadManyAsync<DocumentSummary>(ct, documentIds);
        return new LedgerContext(
            profiles.Where(p => !string.IsNullOrEmpty(p.Standard)).Select(p => p.Entity).ToHashSet(StringComparer.Ordinal),
            documents.ToDictionary(d => d.DocumentId, d => (DateOnly?)d.PublishedOn, StringComparer.Ordinal),
            profiles.SelectMany(p => p.PolicyChanges).Select(p => p.PolicyChange).ToHashSet(StringComparer.Ordinal),
            profiles.Where(p => p.FiscalYearEnd is not null).ToDictionary(p => p.Entity, p => p.Calendar(), StringComparer.Ordinal));
    }

    /// <summary>Restatements whose "previously reported" value is not what the ledger held before the document.</summary>
    private static async Task<IReadOnlyList<IngestionWarning>> RestatementWarnings(IQuerySession session, PackagePlan plan, CancellationToken ct)
    {
        var restated = plan.Events.Select(e => e.Event).OfType<FigureRestated>().ToList();
        if (restated.Count == 0) return [];
        var histories = (await FigureReads.LoadManyAsync(session, restated.Select(r => r.Figure).Distinct().ToArray(), ct))
            .ToDictionary(h => h.Id, StringComparer.Ordinal);
        var warnings = new List<IngestionWarning>();
        var order = FigureTimeline.OrderOf(new DocumentRef(plan.DocumentId, plan.PublishedOn));
        foreach (var r in restated)
        {
            if (!histories.TryGetValue(r.Figure, out var h)) continue;
            var before = FigureTimeline.Build(h.Statements.Where(s => FigureTimeline.OrderOf(s.Document).CompareTo(order) < 0)).LastOrDefault();
            if (before is not null && !before.Value.AgreesWith(r.Before.Value))
                warnings.Add(new IngestionWarning(r.Figure,
                    $"the document restates from {r.Before.Value} but the ledger held {before.Value} (document {before.DocumentId}); recorded and flagged"));
        }
        return warnings;
    }

    private static IReadOnlyList<FigureDifference> Diff(LoadedPackage ledger, PackageContent package) =>
        ledger.FigureSignatures.Keys.Union(package.Signatures.Keys)
            .Where(k => !ledger.FigureSignatures.TryGetValue(k, out var a) || !package.Signatures.TryGetValue(k, out var b)
                        || PackageContent.Digest(a) != PackageContent.Digest(b))
            .OrderBy(k => k, StringComparer.Ordinal)
            .Select(k => new FigureDifference(k, ledger.Figures.GetValueOrDefault(k), package.Figures.GetValueOrDefault(k)))
            .ToList();

    private static IngestionResult Invalid(string? documentId, params PackageError[] errors) =>
        new(IngestionOutcome.Invalid, documentId, 0, Errors: errors);
}
