using OpenQA.Selenium;

namespace Ledger.BrowserTests.Infrastructure;

/// <summary>What a tester does with a page: open it, wait until it has drawn itself, read it, keep a screenshot.</summary>
public static class Pages
{
    public static void Open(this Workbench w, string pathAndQuery)
    {
        w.Driver.Navigate().GoToUrl(w.BaseUrl + pathAndQuery);
        w.WaitUntilDrawn();
    }

    /// <summary>The page marks its main element with the URL it finished drawing (after every fetch).</summary>
    public static void WaitUntilDrawn(this Workbench w) =>
        w.Until(() => ((IJavaScriptExecutor)w.Driver).ExecuteScript(
            "const m = document.getElementById('main'); return !!m && m.dataset.ready === location.pathname + location.search && m.getAttribute('aria-busy') === 'false';") is true,
            "the page to finish drawing");

    public static T Until<T>(this Workbench w, Func<T?> probe, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = probe();
                if (value is not null && !(value is bool b && !b)) return value;
            }
            catch (WebDriverException e) { last = e; } // the element is being redrawn: look again
            Thread.Sleep(100);
        }
        throw new TimeoutException($"Waited {seconds} s for {what} on {w.Driver.Url}. Page text:\n{Text(w)}", last);
    }

    public static string Text(this Workbench w) => w.Driver.FindElement(By.TagName("body")).Text;

    public static IWebElement Find(this Workbench w, string css) => w.Driver.FindElement(By.CssSelector(css));

    public static IReadOnlyCollection<IWebElement> FindAll(this Workbench w, string css) => w.Driver.FindElements(By.CssSelector(css));

    public static string Path(this Workbench w) => new Uri(w.Driver.Url).AbsolutePath;

    public static string Screenshot(this Workbench w, string name)
    {
        var file = System.IO.Path.Combine(w.ScreenshotDirectory, $"{name}.png");
        ((ITakesScreenshot)w.Driver).GetScreenshot().SaveAsFile(file);
        return file;
    }
}
