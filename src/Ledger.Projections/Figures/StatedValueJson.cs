using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Ledger.Domain.Documents;
using Ledger.Domain.Figures;

namespace Ledger.Projections.Figures;

/// <summary>
/// How a stated value's details are kept in its row's JSON columns (and read back, exactly: decimals keep their scale).
/// The types read and written per row are source-generated (every statement read deserializes one per row); anything
/// else falls back to reflection.
/// </summary>
internal static class StatedValueJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = JsonTypeInfoResolver.Combine(StatedValueJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StatedValue))]
[JsonSerializable(typeof(TranscriptionCorrection))]
[JsonSerializable(typeof(DocumentRecorded))]
[JsonSerializable(typeof(StatementDetails))]
[JsonSerializable(typeof(HistoryDetails))]
[JsonSerializable(typeof(Statements.StatementLineDetails))]
internal sealed partial class StatedValueJsonContext : JsonSerializerContext;
