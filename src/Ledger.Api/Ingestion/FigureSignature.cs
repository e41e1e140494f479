using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger.Api.Ingestion;

/// <summary>
/// What a package states about one figure: <see cref="Digest"/>, the first 16 bytes of the SHA-256 of its canonical
/// statements (base64url), compared to tell whether two packages state the same; <see cref="Value"/>, the document's
/// own most precise value, shown to people. Stored as an array, <c>[digest, value]</c> (<c>[digest]</c> without a value),
/// since a large package holds 100,000 of them.
/// </summary>
[JsonConverter(typeof(FigureSignatureJson))]
public sealed record FigureSignature(string Digest, string? Value)
{
    /// <summary>The digest of a figure's canonical statements: the first 16 bytes of their SHA-256 (UTF-8), base64url.</summary>
    public static string Hash(string canonical)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonical), hash);
        return Base64Url.EncodeToString(hash[..16]);
    }

    /// <summary>
    /// The digest of a figure's signature in any form a record ever held: this form (22 characters), the whole SHA-256 as
    /// upper-case hex (records written from 2026-12-03 until commit 0c7acc2), or the canonical text itself (before),
    /// which is JSON and so never either.
    /// </summary>
    public static string DigestOf(string signature) =>
        signature.Length == 22 && !signature.AsSpan().ContainsAnyExcept(Base64UrlAlphabet) ? signature
        : signature.Length == 64 && !signature.AsSpan().ContainsAnyExcept(UpperHex) ? Base64Url.EncodeToString(Convert.FromHexString(signature).AsSpan(0, 16))
        : Hash(signature);

    private static readonly SearchValues<char> Base64UrlAlphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    private static readonly SearchValues<char> UpperHex = SearchValues.Create("0123456789ABCDEF");

    private sealed class FigureSignatureJson : JsonConverter<FigureSignature>
    {
        public override FigureSignature Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("A figure's signature is an array: [digest, value].");
            reader.Read();
            var digest = reader.GetString() ?? throw new JsonException("A figure's signature has no digest.");
            reader.Read();
            string? value = null;
            if (reader.TokenType != JsonTokenType.EndArray)
            {
                value = reader.GetString();
                reader.Read();
            }
            if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("A figure's signature has two elements at most.");
            return new FigureSignature(digest, value);
        }

        public override void Write(Utf8JsonWriter writer, FigureSignature value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(value.Digest);
            if (value.Value is not null) writer.WriteStringValue(value.Value);
            writer.WriteEndArray();
        }
    }
}
