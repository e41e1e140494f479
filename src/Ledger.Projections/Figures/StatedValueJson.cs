using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger.Projections.Figures;

/// <summary>How a stated value's details are kept in its row's jsonb column (and read back, exactly: decimals keep their scale).</summary>
internal static class StatedValueJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
