using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Ledger.Domain.Ingestion;

/// <summary>
/// A package's facts or restatements left in its bytes: counted where they stand when the package is read
/// (<see cref="StreamedPackages.Read"/>), then read one at a time each time they are enumerated, so that a package of
/// 100,000 facts is never an object graph of 100,000 facts. The handler goes through them once for what they cite, once
/// to validate them and once to write them.
/// </summary>
public sealed class PackageItems<T> : IReadOnlyList<T?> where T : class
{
    private readonly string _path;
    private readonly int _start, _length;
    private readonly JsonSerializerOptions _options;
    private ReadOnlyMemory<byte> _bytes;

    internal PackageItems(string path, int start, int length, int count, JsonSerializerOptions options) =>
        (_path, _start, _length, Count, _options) = (path, start, length, count, options);

    public int Count { get; }

    /// <summary>By position, reading the items before it: for a test or a message, not for a loop.</summary>
    public T? this[int index] => index >= 0 && index < Count ? this.ElementAt(index) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The bytes the items were counted in: the whole package, as it was read.</summary>
    internal void Attach(ReadOnlyMemory<byte> bytes) => _bytes = bytes;

    public IEnumerator<T?> GetEnumerator()
    {
        if (_bytes.IsEmpty) throw new InvalidOperationException($"{_path} was counted in bytes that were not kept with it");
        var at = new Cursor(new JsonReaderState(new JsonReaderOptions
            { CommentHandling = _options.ReadCommentHandling, AllowTrailingCommas = _options.AllowTrailingCommas }));
        for (var index = 0; Next(at, index, out var item); index++) yield return item;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Where the reading stands between two items: a reader cannot live across a <c>yield</c>.</summary>
    private sealed class Cursor(JsonReaderState state)
    {
        public JsonReaderState State = state;
        public int Offset;
        public bool InArray;
    }

    private bool Next(Cursor at, int index, out T? item)
    {
        var reader = new Utf8JsonReader(_bytes.Span.Slice(_start + at.Offset, _length - at.Offset), isFinalBlock: true, at.State);
        if (!at.InArray) { reader.Read(); at.InArray = true; }
        reader.Read();
        item = null;
        if (reader.TokenType == JsonTokenType.EndArray) return false;
        try
        {
            item = JsonSerializer.Deserialize<T>(ref reader, _options);
        }
        catch (JsonException e)
        {
            // The path as a read of the whole package names it: "$.facts[3].value", not the item's own "$.value".
            var path = $"{_path}[{index}]{(e.Path is { Length: > 1 } p ? p[1..] : "")}";
            throw new JsonException($"{e.Message.Split(" Path:")[0]} Path: {path}", path, e.LineNumber, e.BytePositionInLine, e);
        }
        at.Offset += checked((int)reader.BytesConsumed);
        at.State = reader.CurrentState;
        return true;
    }
}

/// <summary>
/// How the service reads a package: its facts and restatements left in its bytes as <see cref="PackageItems{T}"/>, the rest
/// (the document, entities, policy changes, reconciliations, calculations: what a document says once) read as usual.
/// A malformed item is found by the first pass over the items and named by its path, as a whole read names it (with the
/// list's name in its usual spelling: <c>$.facts[3].value</c> also for a package that spells it <c>Facts</c>); where a
/// package has more than one malformed part, a part outside the two lists is the one named, where a whole read names the
/// first in the text.
/// </summary>
public static class StreamedPackages
{
    /// <summary>The package, its facts and restatements counted, not read; <paramref name="options"/> as for any package.</summary>
    public static DisclosurePackage? Read(ReadOnlyMemory<byte> bytes, JsonSerializerOptions options)
    {
        var package = JsonSerializer.Deserialize<DisclosurePackage>(bytes.Span, For(options));
        (package?.Facts as PackageItems<PackageFact>)?.Attach(bytes);
        (package?.Restatements as PackageItems<PackageRestatement>)?.Attach(bytes);
        return package;
    }

    /// <summary>True when the package's facts or restatements are still in its bytes.</summary>
    public static bool IsStreamed(DisclosurePackage package) =>
        package.Facts is PackageItems<PackageFact> || package.Restatements is PackageItems<PackageRestatement>;

    // One set of options per set of package options: JSON metadata is built once per options instance.
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> Streamed = new();

    private static JsonSerializerOptions For(JsonSerializerOptions options) => Streamed.GetValue(options, o =>
    {
        var items = new JsonSerializerOptions(o);
        items.TypeInfoResolver = (o.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(info =>
        {
            if (info.Type != typeof(DisclosurePackage)) return;
            foreach (var property in info.Properties)
            {
                if (property.PropertyType == typeof(IReadOnlyList<PackageFact>) && property.Name.Equals("facts", StringComparison.OrdinalIgnoreCase))
                    property.CustomConverter = new Counted<PackageFact>("$." + property.Name, o);
                else if (property.PropertyType == typeof(IReadOnlyList<PackageRestatement>) && property.Name.Equals("restatements", StringComparison.OrdinalIgnoreCase))
                    property.CustomConverter = new Counted<PackageRestatement>("$." + property.Name, o);
            }
        });
        return items;
    });

    /// <summary>An array counted and stepped over; where it stands is kept for reading its items later.</summary>
    private sealed class Counted<T>(string path, JsonSerializerOptions options) : JsonConverter<IReadOnlyList<T>> where T : class
    {
        public override IReadOnlyList<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions _)
        {
            // Anything but an array fails in the words a list's reading uses; the serializer adds the path.
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"The JSON value could not be converted to {typeToConvert}.");
            var start = checked((int)reader.TokenStartIndex);
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                count++;
                reader.Skip();
            }
            var end = checked((int)reader.TokenStartIndex) + 1;
            return (IReadOnlyList<T>)(object)new PackageItems<T>(path, start, end - start, count, options);
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions _) =>
            throw new NotSupportedException("a package read with its items left in its bytes is not written again");
    }
}
