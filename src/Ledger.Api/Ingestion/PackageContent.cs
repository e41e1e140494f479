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

    /// <summary>What the plan's package states, read from its events in one pass.</summary>
    public static PackageContent Of(PackagePlan plan)
    {
        var reading = new Reading(plan.DocumentId, plan.PublishedOn, plan.RepeatedFigures);
        // A dictionary's Add refuses a figure twice: a figure the plan did not say was repeated, stated twice, fails here.
        var figures = new Dictionary<string, FigureSignature>(StringComparer.Ordinal);
        foreach (var e in plan.Events) reading.Add(e.Event, figures);
        return new PackageContent(figures, reading.Finish(figures));
    }

    /// <summary>
    /// What a package states, read event by event: a figure the package states once is signed as soon as its statement is
    /// read and handed on; a figure it states more than once (<see cref="PackagePlan.RepeatedFigures"/>) waits for the end,
    /// so that only those are held. The rest of the package is signed as one at the end (<see cref="Finish"/>).
    /// </summary>
    public sealed class Reading(string documentId, DateOnly publishedOn, IReadOnlySet<string> repeated)
    {
        // The document as figure events said it before they became lean, so that signatures of packages loaded then stand.
        private readonly DocumentRef _document = new(documentId, publishedOn);
        private readonly Dictionary<string, List<(string Text, Statement Value)>> _repeated = new(StringComparer.Ordinal);
        private readonly List<string> _other = [];

        /// <summary>Reads one event; the figure it signs, if any, is added to <paramref name="signed"/>.</summary>
        public void Add(object e, ICollection<KeyValuePair<string, FigureSignature>> signed)
        {
            switch (e)
            {
                case FigureDisclosed d:
                    // The cited document by id only, as for a restatement; left out when absent, so that older signatures stand.
                    if (d.CitedFrom is null) Statement(d.Figure, new { d.Value, Document = _document, d.Location, d.Note }, d.Value, signed);
                    else Statement(d.Figure, new { d.Value, Document = _document, d.Location, d.Note, CitedFrom = d.CitedFrom.Id }, d.Value, signed);
                    break;
                case FigureRestated r:
                    // The cited document by id only: its date comes from the ledger once that document is loaded.
                    Statement(r.Figure, new { r.Before, PreviousDocument = r.PreviousDocument.Id, r.BeforeLocation, r.After, r.Adjustment, r.Reasons, Document = _document, r.Location, r.Note }, r.After, signed);
                    break;
                case DocumentRecorded x:
                    _other.Add(JsonSerializer.Serialize(x with { ContentHash = "", Facts = 0, Restatements = 0, Reconciliations = 0, Recording = NoRecording }, Json));
                    break;
                case NonGaapReconciliationDisclosed x:
                    _other.Add(JsonSerializer.Serialize(x with { Sequence = 0, Recording = NoRecording }, Json));
                    break;
                case EntityRegistered:
                    break; // emitted only while the entity is new to the ledger, so not part of what the package states

                case CalculationRelationsDeclared x:
                    _other.Add(JsonSerializer.Serialize(x with { Recording = NoRecording }, Json));
                    break;
                case AccountingPolicyChangeAdopted x:
                    _other.Add(JsonSerializer.Serialize(x with { Recording = NoRecording }, Json));
                    break;
                default:
                    throw new InvalidOperationException($"{e.GetType().Name} has no place in a package's content");
            }
        }

        /// <summary>Signs the figures stated more than once into <paramref name="signed"/>; returns the signature of the rest.</summary>
        public string Finish(ICollection<KeyValuePair<string, FigureSignature>> signed)
        {
            foreach (var (figure, statements) in _repeated)
            {
                // Shown by its most precise statement, the first of equals.
                var precise = statements[0].Value;
                foreach (var (_, value) in statements)
                    if ((precise.Value.Decimals ?? int.MaxValue) < (value.Value.Decimals ?? int.MaxValue)) precise = value;
                signed.Add(new(figure, new FigureSignature(FigureSignature.Hash(string.Join("\n", statements.Select(s => s.Text).Order(StringComparer.Ordinal))), precise.Value.ToString())));
            }
            _repeated.Clear();
            _other.Sort(StringComparer.Ordinal);
            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", _other))));
        }

        private void Statement(string figure, object canonical, Statement value, ICollection<KeyValuePair<string, FigureSignature>> signed)
        {
            var text = JsonSerializer.Serialize(canonical, Json);
            if (!repeated.Contains(figure))
            {
                signed.Add(new(figure, new FigureSignature(FigureSignature.Hash(text), value.Value.ToString())));
                return;
            }
            if (!_repeated.TryGetValue(figure, out var statements)) _repeated[figure] = statements = [];
            statements.Add((text, value));
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
