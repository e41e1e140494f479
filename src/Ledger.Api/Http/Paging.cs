using System.Globalization;
using System.Text;
using Marten;

namespace Ledger.Api.Http;

/// <summary>One page of a list, and the cursor of the next (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Pagination by <c>limit</c> and an opaque <c>cursor</c> over a stable order: a cursor holds the sort key of
/// the last item served, so records added meanwhile neither repeat nor shift a page. The next page's URL
/// is also given as a <c>Link: rel="next"</c> header (RFC 8288).
/// </summary>
public static class Paging
{
    public const int MaxLimit = 5000;
    /// <summary>Large enough that an entity's figures for a report fit on one page; lists never grow unbounded.</summary>
    public const int DefaultPage = 1000;

    public static bool TryRead(int? limit, string? cursor, int defaultLimit, out int take, out string? after, out IResult? problem)
    {
        take = limit ?? defaultLimit;
        after = null;
        problem = null;
        if (take is < 1 or > MaxLimit)
        {
            problem = Problems.BadRequest("limit", $"must be between 1 and {MaxLimit}, not {limit}");
            return false;
        }
        if (string.IsNullOrEmpty(cursor)) return true;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/').PadRight((cursor.Length + 3) / 4 * 4, '=')));
            if (!text.StartsWith("after:", StringComparison.Ordinal)) throw new FormatException();
            after = text["after:".Length..];
            return true;
        }
        catch (FormatException)
        {
            problem = Problems.BadRequest("cursor", "is not a cursor this service gave out (use nextCursor from the previous page)");
            return false;
        }
    }

    /// <summary><c>limit</c> and <c>cursor</c> as a Wolverine <c>Validate</c> step: continue, or the 400 naming the parameter.</summary>
    public static IResult Validate(int? limit, string? cursor, int defaultLimit = DefaultPage) =>
        TryRead(limit, cursor, defaultLimit, out _, out _, out var problem) ? Wolverine.Http.WolverineContinue.Result() : problem!;

    /// <summary>The page a validated <c>limit</c> and <c>cursor</c> ask for.</summary>
    public static (int Take, string? After) Read(int? limit, string? cursor, int defaultLimit = DefaultPage) =>
        TryRead(limit, cursor, defaultLimit, out var take, out var after, out _) ? (take, after) : throw new FormatException("limit or cursor not validated");

    /// <summary>Orders by <paramref name="key"/> (ordinal, so the order never depends on a collation) and takes one page.</summary>
    public static Page<T> Of<T>(IEnumerable<T> items, Func<T, string> key, int take, string? after)
    {
        var ordered = items.OrderBy(key, StringComparer.Ordinal).AsEnumerable();
        if (after is not null) ordered = ordered.Where(i => string.CompareOrdinal(key(i), after) > 0);
        var page = ordered.Take(take + 1).ToList();
        var more = page.Count > take;
        if (more) page.RemoveAt(take);
        return new Page<T>(page, more ? Cursor(key(page[^1])) : null);
    }

    /// <summary>
    /// One page of stored items in key order, read from the database a batch at a time, so that the work is
    /// proportional to the page, not to the list. <paramref name="fetch"/> reads the next batch of at most the given count
    /// after a key (ordinal order); <paramref name="select"/> turns a stored item into a listed one or drops it (a figure not
    /// yet known on an as-of date).
    /// </summary>
    public static async Task<Page<TItem>> ReadAsync<TStored, TItem>(Func<string, int, Task<IReadOnlyList<TStored>>> fetch,
        Func<TStored, string> key, Func<TStored, TItem?> select, int take, string? after) where TItem : class
    {
        var items = new List<(string Key, TItem Item)>();
        var last = after ?? "";
        while (items.Count <= take)
        {
            var batch = Math.Max(take + 1 - items.Count, 32);
            var stored = await fetch(last, batch);
            foreach (var s in stored)
            {
                last = key(s);
                if (select(s) is { } item) items.Add((last, item));
                if (items.Count > take) break;
            }
            if (stored.Count < batch) break;
        }
        var more = items.Count > take;
        if (more) items.RemoveAt(take);
        return new Page<TItem>(items.Select(i => i.Item).ToList(), more ? Cursor(items[^1].Key) : null);
    }

    public static string Cursor(string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("after:" + lastKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Adds the Link header pointing at the next page, keeping the request's other query values.</summary>
    public static void LinkNext(HttpContext http, string? nextCursor)
    {
        if (nextCursor is null) return;
        var query = http.Request.Query.Where(q => q.Key != "cursor")
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"cursor={nextCursor}");
        http.Response.Headers.Link = $"<{http.Request.Path}?{string.Join('&', query)}>; rel=\"next\"";
    }

    public static string Key(params object?[] parts) =>
        string.Join('\u001f', parts.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture)));
}
