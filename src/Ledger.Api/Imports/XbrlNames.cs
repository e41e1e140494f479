using System.Text.Json;
using System.Text.RegularExpressions;
using Ledger.Api.Exports;

namespace Ledger.Api.Imports;

/// <summary>
/// The prefixes of a report (<c>documentInfo.namespaces</c>) as the ledger names them: whatever prefix a report gives the
/// IFRS taxonomy (of any release), ISO 4217, the XBRL instance or the ledger's own namespace, its names are read as
/// <c>ifrs-full:</c>, <c>iso4217:</c>, <c>xbrli:</c> and <c>ledger:</c> names; any other prefix is kept as written.
/// </summary>
public sealed partial class XbrlNames
{
    public const string SecCikScheme = "http://www.sec.gov/CIK";
    private readonly Dictionary<string, string> _namespaces = new(StringComparer.Ordinal);

    public XbrlNames(JsonElement documentInfo)
    {
        if (documentInfo.ValueKind == JsonValueKind.Object && documentInfo.TryGetProperty("namespaces", out var ns) && ns.ValueKind == JsonValueKind.Object)
            foreach (var p in ns.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String) _namespaces[p.Name] = p.Value.GetString()!;
    }

    public bool Declares(string prefix) => _namespaces.ContainsKey(prefix);

    /// <summary>A QName with its prefix as the ledger names the namespace (<c>ifrs:Revenue</c> → <c>ifrs-full:Revenue</c>).</summary>
    public string Canonical(string qname)
    {
        var colon = qname.IndexOf(':');
        if (colon <= 0) return qname;
        var prefix = qname[..colon];
        if (!_namespaces.TryGetValue(prefix, out var uri)) return qname;
        var known = uri switch
        {
            XbrlJson.LedgerNamespace => "ledger",
            XbrlJson.Iso4217Namespace => "iso4217",
            XbrlJson.XbrliNamespace => "xbrli",
            _ when IfrsFull().IsMatch(uri) => "ifrs-full",
            _ => prefix,
        };
        return known + qname[colon..];
    }

    /// <summary>The ledger's unit for an OIM unit (<c>iso4217:USD/xbrli:shares</c> → <c>USD/share</c>), or null when it knows none.</summary>
    public string? Unit(string? unit)
    {
        if (unit is null) return Ledger.Domain.Concepts.Units.Pure;
        var parts = unit.Split('/');
        return parts.Length > 2 || parts.Any(p => p.Contains('*')) ? null : XbrlJson.TryUnitFrom(string.Join('/', parts.Select(Canonical)));
    }

    /// <summary>
    /// The ledger's id of the entity an <c>entity</c> dimension names (<c>scheme:identifier</c>): a ledger export's ticker as
    /// it is, an SEC CIK as the company-facts import names it (<c>CIK0001997711</c>), any other identifier as it is.
    /// </summary>
    public string EntityId(string value)
    {
        var colon = value.IndexOf(':');
        if (colon <= 0) return value;
        var (prefix, identifier) = (value[..colon], value[(colon + 1)..]);
        var scheme = _namespaces.GetValueOrDefault(prefix);
        return scheme == SecCikScheme && identifier.Length is > 0 and <= 10 && identifier.All(char.IsAsciiDigit)
            ? $"CIK{identifier.PadLeft(10, '0')}"
            : identifier;
    }

    [GeneratedRegex(@"^https?://xbrl\.ifrs\.org/taxonomy/[0-9-]+/ifrs-full$")]
    private static partial Regex IfrsFull();
}
