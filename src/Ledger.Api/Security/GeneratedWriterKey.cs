using System.Security.Cryptography;
using System.Text.Json;

namespace Ledger.Api.Security;

/// <summary>
/// The quick start's key: when the embedded default runs with no keys configured, a writer key is made on
/// the first start. The service checks it against its SHA-256 (<see cref="FileName"/>); the key itself is written to
/// <see cref="PlainTextFileName"/> beside the data, mode 0600, so that it is never needed in a log, and shown on the
/// terminal only when there is one.
/// </summary>
public static class GeneratedWriterKey
{
    public const string FileName = "api-keys.json";
    public const string PlainTextFileName = "writer-key.txt";
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
        Database.PrivateFiles.EnsurePrivateDirectory(dataDirectory);
        // The key first: should the start stop between the two, the next one makes a new pair rather than a hash without its key.
        Database.PrivateFiles.WriteAllText(Path.Combine(dataDirectory, PlainTextFileName), plain + "\n");
        Database.PrivateFiles.WriteAllText(path, JsonSerializer.Serialize(new[] { record }, new JsonSerializerOptions { WriteIndented = true }));
        return (new ApiKey(Name, Convert.FromHexString(record.KeySha256), Roles.Writer, null), plain);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
