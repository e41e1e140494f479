using System.Security.Cryptography;
using System.Text.Json;

namespace Ledger.Api.Security;

/// <summary>
/// The quick start's key: when the embedded default runs with no keys configured, a writer key is made on
/// the first start, shown once, and only its SHA-256 is kept, in the data directory beside the database.
/// </summary>
public static class GeneratedWriterKey
{
    public const string FileName = "api-keys.json";
    public const string Name = "generated-writer";

    private sealed record StoredKey(string Name, string KeySha256, string Role, DateTimeOffset CreatedAt);

    /// <summary>The stored key, made (and its plain text returned, to be printed once) when there is none yet.</summary>
    public static (ApiKey Key, string? NewPlainText) LoadOrCreate(string dataDirectory, TimeProvider clock)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<StoredKey[]>(File.ReadAllText(path))
                ?? throw new InvalidApiKeyConfigurationException($"{path} is empty; delete it to have a new key generated.");
            var keys = ApiKeyRegistry.FromSettings(stored.Select(s => new ApiKeySetting { Name = s.Name, KeySha256 = s.KeySha256, Role = s.Role }).ToList());
            return (keys.Single(), null);
        }

        var plain = "ledger_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var record = new StoredKey(Name, ApiKeyRegistry.HexDigest(plain), Roles.Writer, clock.GetUtcNow());
        Directory.CreateDirectory(dataDirectory);
        File.WriteAllText(path, JsonSerializer.Serialize(new[] { record }, new JsonSerializerOptions { WriteIndented = true }));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (new ApiKey(Name, Convert.FromHexString(record.KeySha256), Roles.Writer, null), plain);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
