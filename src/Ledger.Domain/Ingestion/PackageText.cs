using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ledger.Domain.Ingestion;

/// <summary>
/// One pass over a package's raw JSON before it is read. It refuses what no document prints and what the database
/// cannot store or would store ambiguously: control characters (NUL, which PostgreSQL rejects in text, and the
/// rest of C0, DEL and C1; tab, line feed and carriage return are allowed in free text), a lone half of a surrogate
/// pair (not text at all), and an object that names one property twice (which of the two values would count?).
/// Each is reported with its JSON path, like every other bad field.
/// </summary>
public static class PackageText
{
    private const int MaxErrors = 100;

    private sealed class Frame
    {
        public bool IsArray { get; private set; }
        public int Index { get; set; }
        public string? Property { get; set; }
        public HashSet<string> Names { get; private set; } = new(StringComparer.Ordinal);

        /// <summary>Made ready for the next object or array at its depth: a package has a hundred thousand of them, one frame a depth.</summary>
        public Frame Reset(bool isArray)
        {
            (IsArray, Index, Property) = (isArray, -1, null);
            // A set keeps its size when cleared, and clearing wipes all of it: after a large object, a new set, or every small
            // object after it at this depth would pay for the large one (a hostile package: minutes).
            if (Names.Count > 16) Names = new(StringComparer.Ordinal);
            else Names.Clear();
            return this;
        }
    }

    public static IReadOnlyList<PackageError> Check(ReadOnlySpan<byte> json)
    {
        var errors = new List<PackageError>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var frames = new List<Frame>();
        var spare = new List<Frame>();
        // The package's own members are read whatever their case ("facts", "Facts"): two spellings of one are one given twice.
        var members = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            while (reader.Read() && errors.Count < MaxErrors)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        NextItem(frames);
                        if (spare.Count <= frames.Count) spare.Add(new Frame());
                        frames.Add(spare[frames.Count].Reset(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var frame = frames[^1];
                        var name = Text(ref reader, frames, errors, isName: true);
                        frame.Property = name ?? "?";
                        if (name is not null && !frame.Names.Add(name))
                            errors.Add(new(PathOf(frames), "is given twice in the same object; give each property once"));
                        else if (name is not null && frames.Count == 1 && !members.Add(name))
                            errors.Add(new(PathOf(frames), "is given twice, spelled in another case, in the package; give each property once"));
                        break;
                    case JsonTokenType.String:
                        NextItem(frames);
                        if (!IsPlain(ref reader)) Text(ref reader, frames, errors, isName: false);
                        break;
                    default:
                        NextItem(frames);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            // Not JSON at all: say where, as the reader saw it (line and byte), since no path can be named.
            errors.Add(new(PathOf(frames), $"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}"));
        }
        return errors;
    }

    /// <summary>
    /// A string value that needs no closer look: unescaped, valid UTF-8, and free of DEL and C1 controls (the reader itself
    /// refuses raw C0 controls in a string). Almost every value is; the rest take <see cref="Text"/>'s path as before.
    /// </summary>
    private static bool IsPlain(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence) return false;
        var bytes = reader.ValueSpan;
        if (bytes.IndexOfAnyInRange((byte)0x7F, (byte)0xFF) < 0) return true; // ASCII without DEL
        if (!System.Text.Unicode.Utf8.IsValid(bytes) || bytes.Contains((byte)0x7F)) return false;
        // C1 controls (U+0080–U+009F) are 0xC2 0x80–0x9F in UTF-8.
        for (var at = bytes.IndexOf((byte)0xC2); at >= 0 && at + 1 < bytes.Length; )
        {
            if (bytes[at + 1] is >= 0x80 and <= 0x9F) return false;
            var next = bytes[(at + 1)..].IndexOf((byte)0xC2);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return true;
    }

    private static void NextItem(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray) frames[^1].Index++;
    }

    private static string? Text(ref Utf8JsonReader reader, List<Frame> frames, List<PackageError> errors, bool isName)
    {
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to unescape half a surrogate pair (\ud800 alone).
            errors.Add(new(PathOf(frames, isName ? "?" : null), "is not valid text: it holds half of a surrogate pair (\\ud800–\\udfff alone)"));
            return null;
        }
        if (FirstForbidden(text, allowLineBreaks: !isName) is { } at)
            errors.Add(new(PathOf(frames, isName ? text : null),
                $"holds the control character U+{(int)text[at]:X4} at position {at.ToString(CultureInfo.InvariantCulture)}; documents print no such character"));
        return text;
    }

    /// <summary>The index of the first character no package may hold, or null.</summary>
    public static int? FirstForbidden(string text, bool allowLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\t' or '\n' or '\r' && allowLineBreaks) continue;
            if (c < 0x20 || c is >= '\u007f' and <= '\u009f') return i;
        }
        return null;
    }

    private static string PathOf(List<Frame> frames, string? name = null)
    {
        var path = new StringBuilder("$");
        for (var i = 0; i < frames.Count; i++)
        {
            var f = frames[i];
            var last = i == frames.Count - 1;
            if (f.IsArray) { if (f.Index >= 0) path.Append('[').Append(f.Index.ToString(CultureInfo.InvariantCulture)).Append(']'); }
            else if (last && name is not null) path.Append('.').Append(Printable(name));
            else if (f.Property is not null) path.Append('.').Append(Printable(f.Property));
        }
        return path.ToString();
    }

    // A property name in a path is shown with its control characters escaped, so the error message stays one clean line.
    private static string Printable(string name) =>
        FirstForbidden(name, allowLineBreaks: false) is null ? name
            : string.Concat(name.Select(c => c < 0x20 || c is >= '\u007f' and <= '\u009f' ? $"\\u{(int)c:x4}" : c.ToString()));
}
