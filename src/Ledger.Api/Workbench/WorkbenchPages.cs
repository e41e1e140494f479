using System.Text.RegularExpressions;
using Ledger.Domain.Concepts;
using Marten;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Ledger.Projections.NonGaap;

namespace Ledger.Api.Workbench;

/// <summary>
/// The auditor's workbench: static pages under /ui that read the same HTTP API. Every page route answers
/// with one HTML shell, so deep links survive a reload; the pages draw themselves from /api in the browser.
/// Page routes are not API operations: anonymous and left out of OpenAPI.
/// </summary>
public static partial class WorkbenchPages
{
    /// <summary>The assets are copied beside the binaries, so the pages work wherever the service is started from.</summary>
    public static string AssetDirectory => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    public static WebApplication MapWorkbench(this WebApplication app)
    {
        var files = Directory.Exists(AssetDirectory)
            ? new PhysicalFileProvider(AssetDirectory)
            : throw new DirectoryNotFoundException($"The workbench assets are missing from {AssetDirectory}; rebuild Ledger.Api.");
        var types = new FileExtensionContentTypeProvider();

        // The service's own address takes a person with a browser to the workbench, never to a JSON 401.
        app.MapGet("/", () => Results.Redirect("/ui/entities")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/ui", () => Results.Redirect("/ui/entities")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/ui/assets/{**file}", (string file) =>
        {
            var info = files.GetFileInfo(file);
            if (!info.Exists || info.IsDirectory || info.PhysicalPath is null) return Results.NotFound();
            return Results.File(info.PhysicalPath, types.TryGetContentType(file, out var type) ? type : "application/octet-stream");
        }).AllowAnonymous().ExcludeFromDescription();

        // Labels for every concept in both languages; the statement API gives the printed label only.
        app.MapGet("/ui/data/concepts", (ConceptCatalog catalog) => Results.Json(catalog.All.ToDictionary(c => c.Id, c => new
        {
            zh = c.Labels.TryGetValue("zh-Hans", out var s) && s.Count > 0 ? s[0] : c.Label("zh-Hant"),
            en = c.Labels.TryGetValue("en", out var e) && e.Count > 0 ? e[0] : Words(c.Id),
            nonGaap = c.NonGaap,
        }))).AllowAnonymous().ExcludeFromDescription();

        // Which non-GAAP reconciliations an entity has: the API answers one measure and period at a time.
        app.MapGet("/ui/data/entities/{entity}/non-gaap", async (string entity, IQuerySession session, CancellationToken ct) =>
        {
            var views = await session.Query<NonGaapReconciliationView>().Where(v => v.Entity == entity).ToListAsync(ct);
            return Results.Json(views.Select(v => new { v.Measure, v.Period }).Distinct()
                .OrderBy(v => v.Measure, StringComparer.Ordinal).ThenBy(v => v.Period, StringComparer.Ordinal)
                .Select(v => new { measure = v.Measure, period = v.Period }));
        }).RequireAuthorization(Security.Policies.Read).ExcludeFromDescription(); // ledger data: read like the API

        app.MapWorkbenchData();

        app.MapGet("/ui/{**page}", () => Results.File(files.GetFileInfo("index.html").PhysicalPath!, "text/html; charset=utf-8"))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>"ProfitLossAttributableToOwnersOfParent" → "Profit loss attributable to owners of parent": the catalogue has few English labels.</summary>
    public static string Words(string id)
    {
        var words = CapitalRun().Replace(id, " $1").Trim().Split(' ');
        return string.Join(' ', words.Select((w, i) => i == 0 || w.Length > 1 && w.All(char.IsUpper) ? w : w.ToLowerInvariant()));
    }

    [GeneratedRegex("([A-Z][a-z0-9]*|[A-Z]+(?![a-z]))")]
    private static partial Regex CapitalRun();
}
