using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Domain.Values;

namespace Ledger.Domain.Concepts;

/// <summary>
/// Every concept the ledger knows. Kept as data (<c>concepts.json</c>, embedded) because it is what
/// preparers extend most often, and labels as printed are easier to review there than in code.
/// </summary>
public sealed class ConceptCatalog
{
    private readonly Dictionary<string, Concept> _concepts;

    public ConceptCatalog(IEnumerable<Concept> concepts)
    {
        _concepts = new Dictionary<string, Concept>(StringComparer.Ordinal);
        foreach (var c in concepts)
        {
            if (!_concepts.TryAdd(c.Id, c)) throw new InvalidOperationException($"Concept '{c.Id}' is defined twice.");
        }
        Languages = _concepts.Values.SelectMany(c => c.Labels.Where(l => l.Value.Count > 0).Select(l => l.Key))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The languages the catalog has labels in (zh-Hans, zh-Hant, en): the values a reader may ask labels in. A concept
    /// with no label in the language asked is labelled in one it has (<see cref="Concept.Label"/>).
    /// </summary>
    public IReadOnlyList<string> Languages { get; }

    /// <summary>The language labels are given in when none is asked: the language the seeds' reports print.</summary>
    public const string DefaultLanguage = "zh-Hans";

    /// <summary>No language asked (absent or empty: <see cref="DefaultLanguage"/>), or one the catalog has labels in; case as written.</summary>
    public bool IsLabelLanguage(string? language) => string.IsNullOrEmpty(language) || Languages.Contains(language, StringComparer.Ordinal);

    /// <summary>The language asked, or <see cref="DefaultLanguage"/> where none is (absent or empty, as a query string may leave it).</summary>
    public static string LabelLanguage(string? asked) => string.IsNullOrEmpty(asked) ? DefaultLanguage : asked;

    // Declared before Default: static initialisers run in text order.
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static ConceptCatalog Default { get; } = LoadEmbedded();

    public IReadOnlyCollection<Concept> All => _concepts.Values;

    /// <summary>
    /// The concept of that id: the catalog's own, or an element of a published taxonomy by its qualified name
    /// (<c>us-gaap:Revenues</c>: <see cref="Concept.ExternalElement"/>), which filings bring in by the thousand.
    /// </summary>
    public bool TryGet(string id, out Concept concept)
    {
        if (_concepts.TryGetValue(id, out concept!)) return true;
        if (!IsQualifiedName(id)) return false;
        concept = Concept.ExternalElement(id);
        return true;
    }

    /// <summary><c>prefix:LocalName</c>: a lower-case taxonomy prefix (us-gaap, ifrs-full, dei, srt) and an XML name.</summary>
    public static bool IsQualifiedName(string id)
    {
        var colon = id.IndexOf(':');
        if (colon <= 0 || colon == id.Length - 1 || id.Length > 200) return false;
        var prefix = id.AsSpan(0, colon);
        var local = id.AsSpan(colon + 1);
        if (!char.IsAsciiLetterLower(prefix[0]) || !char.IsAsciiLetter(local[0]) && local[0] != '_') return false;
        foreach (var c in prefix) if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')) return false;
        foreach (var c in local) if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')) return false;
        return true;
    }

    public Concept this[string id] => TryGet(id, out var c) ? c : throw new KeyNotFoundException($"Unknown concept '{id}'.");

    private static ConceptCatalog LoadEmbedded()
    {
        using var stream = typeof(ConceptCatalog).Assembly.GetManifestResourceStream("Ledger.Domain.concepts.json")
            ?? throw new InvalidOperationException("concepts.json is not embedded in Ledger.Domain.");
        var rows = JsonSerializer.Deserialize<List<Row>>(stream, Json) ?? [];
        return new ConceptCatalog(rows.Select(r => new Concept(
            r.Id,
            r.Labels ?? new Dictionary<string, IReadOnlyList<string>>(),
            r.PeriodType,
            r.DataType,
            r.Balance,
            r.NonGaap,
            r.Ifrs,
            r.NonNegative)));
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public Dictionary<string, IReadOnlyList<string>>? Labels { get; set; }
        public PeriodType PeriodType { get; set; }
        public DataType DataType { get; set; }
        public Balance? Balance { get; set; }
        public bool NonGaap { get; set; }
        public bool Ifrs { get; set; }
        public bool NonNegative { get; set; }
    }
}
