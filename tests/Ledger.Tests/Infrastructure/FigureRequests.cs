using System.Text.Json;

namespace Ledger.Tests.Infrastructure;

/// <summary>Reads one figure's current value through the HTTP API, as an analyst would.</summary>
public static class FigureRequests
{
    public static async Task<(string? Value, string Unit, string? Decimals, JsonElement Figure)> CurrentAsync(
        this LedgerApp app, string entity, string concept, string period, string? dims = null, string? extra = null)
    {
        var url = $"/api/entities/{entity}/figures/{concept}/{period}?{(dims is null ? "" : $"dims={Uri.EscapeDataString(dims)}&")}{extra}";
        var figure = await app.GetJsonAsync(url);
        var current = figure.GetProperty("current");
        return (current.TryGetProperty("value", out var v) ? v.GetString() : null, current.GetProperty("unit").GetString()!,
            current.TryGetProperty("decimals", out var d) ? d.GetString() : null, figure);
    }
}
