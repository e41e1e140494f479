using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Api.Database;
using Ledger.Domain.Documents;
using Ledger.Domain.Entities;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.Ingestion;
using Ledger.Domain.NonGaap;
using Ledger.Domain.PolicyChanges;

namespace Ledger.Api.Ingestion;

/// <summary>
/// What a package states, in a form that compares equal whenever two packages state the same things
/// (formatting, key order, the order of facts and who posted it aside): per figure (the digest of its canonical
/// statements and its value, <see cref="FigureSignature"/>), and for the rest.
/// </summary>
public sealed record PackageContent(Dictionary<string, FigureSignature> Figures, string Other)
{
    // 1000 and 1000.0 are the same value: decimals are written without trailing zeros.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new PlainDecimal() } };
    private static readonly Recording NoRecording = new("", "");

    public static PackageContent Of(PackagePlan plan)
    {
        // Each figure's signature is digested as soon as its last statement is read (statements counted first), so that
        // the canonical texts of a large package are never all in memory at once.
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in plan.Events.Select(p => p.Event))
        {
            var figure = e switch { FigureDisclosed d => d.Figure, FigureRestated r => r.Figure, _ => null };
            if (figure is not null) remaining[figure] = remaining.GetValueOrDefault(figure) + 1;
        }
        var pending = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var signatures = new Dictionary<string, string>(StringComparer.Ordinal);
        var precise = new Dictionary<string, Statement>(StringComparer.Ordinal);
        var other = new List<string>();
        // The document as figure events said it before they became lean, so that signatures of packages loaded then stand.
        var document = new DocumentRef(plan.DocumentId, plan.PublishedOn);
        foreach (var e in plan.Events.Select(p => p.Event))
        {
            switch (e)
            {
                case FigureDisclosed d:
                    // The cited document by id only, as for a restatement; left out when absent, so that older signatures stand.
                    if (d.CitedFrom is null) Add(d.Figure, new { d.Value, Document = document, d.Location, d.Note }, d.Value);
                    else Add(d.Figure, new { d.Value, Document = document, d.Location, d.Note, CitedFrom = d.CitedFrom.Id }, d.Value);
                    break;
                case FigureRestated r:
                    // The cited document by id only: its date comes from the ledger once that document is loaded.
                    Add(r.Figure, new { r.Before, PreviousDocument = r.PreviousDocument.Id, r.BeforeLocation, r.After, r.Adjustment, r.Reasons, Document = document, r.Location, r.Note }, r.After);
                    break;
                case DocumentRecorded x:
                    other.Add(JsonSerializer.Serialize(x with { ContentHash = "", Facts = 0, Restatements = 0, Reconciliations = 0, Recording = NoRecording }, Json));
                    break;
                case NonGaapReconciliationDisclosed x:
                    other.Add(JsonSerializer.Serialize(x with { Sequence = 0, Recording = NoRecording }, Json));
                    break;
                case EntityRegistered:
                    break; // emitted only while the entity is new to the ledger, so not part of what the package states

                case CalculationRelationsDeclared x:
                    other.Add(JsonSerializer.Serialize(x with { Recording = NoRecording }, Json));
                    break;
                case AccountingPolicyChangeAdopted x:
                    other.Add(JsonSerializer.Serialize(x with { Recording = NoRecording }, Json));
                    break;
                default:
                    throw new InvalidOperationException($"{e.GetType().Name} has no place in a package's content");
            }
        }
        // A statement the count above did not foresee (a new event type) still signs its figure.
        foreach (var (figure, list) in pending) signatures[figure] = FigureSignature.Hash(string.Join("\n", list.Order(StringComparer.Ordinal)));
        other.Sort(StringComparer.Ordinal);
        return new PackageContent(
            signatures.ToDictionary(p => p.Key, p => new FigureSignature(p.Value, precise.GetValueOrDefault(p.Key)?.Value.ToString()), StringComparer.Ordinal),
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", other)))));

        void Add(string figure, object statement, Statement value)
        {
            if (!pending.TryGetValue(figure, out var list)) pending[figure] = list = [];
            list.Add(JsonSerializer.Serialize(statement, Json));
            if (remaining.TryGetValue(figure, out var left) && (remaining[figure] = left - 1) == 0)
            {
                signatures[figure] = FigureSignature.Hash(string.Join("\n", list.Order(StringComparer.Ordinal)));
                pending.Remove(figure);
            }
            // A figure stated twice at different precisions is shown by its more precise statement.
            if (!precise.TryGetValue(figure, out var known) || (known.Value.Decimals ?? int.MaxValue) < (value.Value.Decimals ?? int.MaxValue))
                precise[figure] = value;
        }
    }

    /// <summary>The package's record: per figure its digest and value, one entry each (the bytes go to <see cref="PackageBodies"/>).</summary>
    public LoadedPackage ToLoadedPackage(string documentId, string hash) => new()
    {
        Id = documentId, ContentHash = hash, Statements = Figures, OtherContentSignature = Other,
    };

    private sealed class PlainDecimal : System.Text.Json.Serialization.JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();
        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteStringValue(Ledger.Domain.Values.Amount.Format(value));
    }
}
