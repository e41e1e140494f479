using System.Security.Cryptography;
using System.Text;

namespace Ledger.Api.Security;

/// <summary>
/// What a key may do. Each role includes the ones before it: reader &lt; auditor &lt; writer &lt; admin. An auditor reads
/// and verifies the tamper-evident log; a writer also loads packages (and so may verify); an admin also rebuilds.
/// The auditor sits below the writer so that "an auditor never writes" follows from the order itself.
/// </summary>
public static class Roles
{
    public const string Reader = "reader";
    public const string Auditor = "auditor";
    public const string Writer = "writer";
    public const string Admin = "admin";

    private static readonly string[] Ordered = [Reader, Auditor, Writer, Admin];

    public static IReadOnlyList<string> All => Ordered;

    public static bool Includes(string role, string required) =>
        Array.IndexOf(Ordered, required) is var r and >= 0 && Array.IndexOf(Ordered, role) >= r;
}

/// <summary>The policies every endpoint chooses from (or it says it is public, with [AllowAnonymous]).</summary>
public static class Policies
{
    public const string Read = "read";
    /// <summary>Verifying the tamper-evident log: auditor and above (it reads the whole log, so not every reader).</summary>
    public const string Verify = "verify";
    public const string Write = "write";
    public const string Admin = "admin";
}

/// <summary>
/// One entry of <c>Ledger:ApiKeys</c>. The key is given either in plain text (<see cref="Key"/>) or as the
/// lower-case hex SHA-256 of its UTF-8 bytes (<see cref="KeySha256"/>), so that plaintext keys need not sit in
/// configuration. <see cref="Name"/> is what the ledger records as the recorder; the key itself never is.
/// </summary>
public sealed class ApiKeySetting
{
    public string? Name { get; set; }
    public string? Key { get; set; }
    public string? KeySha256 { get; set; }
    public string? Role { get; set; }
    /// <summary>Requests per minute for this key, instead of <c>Ledger:RateLimit:PermitsPerMinute</c>.</summary>
    public int? PermitsPerMinute { get; set; }
}

public sealed record ApiKey(string Name, byte[] Sha256, string Role, int? PermitsPerMinute);

/// <summary>
/// The keys the service accepts, held only as SHA-256 digests and compared in fixed time.
/// </summary>
public sealed class ApiKeyRegistry
{
    private readonly IReadOnlyList<ApiKey> _keys;

    public ApiKeyRegistry(IEnumerable<ApiKey> keys, bool allowAnonymousReads, string origin, string anonymousReadsReason = "Ledger:AllowAnonymousReads")
    {
        _keys = keys.ToList();
        AllowAnonymousReads = allowAnonymousReads;
        Origin = origin;
        AnonymousReadsReason = anonymousReadsReason;
    }

    public bool AllowAnonymousReads { get; }

    /// <summary>Why reads without a key are open or closed, for the start-up line.</summary>
    public string AnonymousReadsReason { get; }

    /// <summary>Where the keys came from (configuration, a generated key file, or none), for the start-up line.</summary>
    public string Origin { get; }

    public int Count => _keys.Count;

    public int? PermitsPerMinuteOf(string name) => _keys.FirstOrDefault(k => k.Name == name)?.PermitsPerMinute;

    public ApiKey? Find(string presented)
    {
        var digest = Digest(presented);
        ApiKey? found = null;
        // Every key is compared, so that the time taken says nothing about which one matched.
        foreach (var key in _keys)
            if (CryptographicOperations.FixedTimeEquals(digest, key.Sha256)) found ??= key;
        return found;
    }

    public static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string HexDigest(string key) => Convert.ToHexString(Digest(key)).ToLowerInvariant();

    /// <summary>Reads <c>Ledger:ApiKeys</c>; a wrong entry stops the start with a message naming it.</summary>
    public static IReadOnlyList<ApiKey> FromSettings(IReadOnlyList<ApiKeySetting> settings)
    {
        var keys = new List<ApiKey>();
        for (var i = 0; i < settings.Count; i++)
        {
            var s = settings[i];
            var where = $"Ledger:ApiKeys:{i}";
            if (s.Role is null || !Roles.All.Contains(s.Role))
                throw new InvalidApiKeyConfigurationException($"{where}:Role must be one of {string.Join(", ", Roles.All)}, not '{s.Role}'.");
            byte[] digest;
            if (!string.IsNullOrEmpty(s.Key) && !string.IsNullOrEmpty(s.KeySha256))
                throw new InvalidApiKeyConfigurationException($"{where}: give Key or KeySha256, not both.");
            if (!string.IsNullOrEmpty(s.Key))
            {
                if (s.Key.Length < 16) throw new InvalidApiKeyConfigurationException($"{where}:Key is shorter than 16 characters.");
                digest = Digest(s.Key);
            }
            else if (s.KeySha256 is { Length: 64 } hex && hex.All(Uri.IsHexDigit))
                digest = Convert.FromHexString(hex);
            else
                throw new InvalidApiKeyConfigurationException($"{where}: KeySha256 must be 64 hex digits (the SHA-256 of the key's UTF-8 bytes), or Key the key itself.");
            if (s.PermitsPerMinute is <= 0) throw new InvalidApiKeyConfigurationException($"{where}:PermitsPerMinute must be positive.");
            // Named by position, never by anything derived from the key: the name is recorded on every event and shown to readers.
            var name = string.IsNullOrWhiteSpace(s.Name) ? $"key-{i}" : s.Name.Trim();
            keys.Add(new ApiKey(name, digest, s.Role, s.PermitsPerMinute));
        }
        var duplicate = keys.GroupBy(k => k.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidApiKeyConfigurationException($"Ledger:ApiKeys: the name '{duplicate.Key}' is used twice; names are what the ledger records.");
        return keys;
    }
}

public sealed class InvalidApiKeyConfigurationException(string message) : Exception(message);
