using Ledger.Domain.Values;

namespace Ledger.Projections.Figures;

/// <summary>
/// The entities, concepts, periods and scopes of the figure keys one read parses
/// (<see cref="FigureKey.Parse(string, Func{ReadOnlySpan{char}, string})"/>), each made a string once: a statement's hundred
/// keys share one entity, one scope, two periods and a few concepts.
/// </summary>
public sealed class KeyParts
{
    private readonly Dictionary<string, string> _parts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public KeyParts() => _lookup = _parts.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Of(ReadOnlySpan<char> part)
    {
        if (_lookup.TryGetValue(part, out var made)) return made;
        var text = part.ToString();
        _parts[text] = text;
        return text;
    }
}
