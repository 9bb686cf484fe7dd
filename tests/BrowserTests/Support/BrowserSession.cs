using Microsoft.Playwright;
using MnistEvents.TestSupport;

namespace MnistEvents.BrowserTests.Support;

/// <summary>
/// One page in a fresh browser context, recording everything that went wrong while a test used it: console errors,
/// uncaught exceptions, failed requests and error responses other than the refusals the test itself provokes.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public static readonly string ScreenshotDirectory = Path.Combine(Repository.Root, "artifacts", "screenshots");

    private readonly IBrowserContext context;
    private readonly List<string> problems = [];
    private readonly HashSet<int> expectedStatuses = [];
    private readonly List<string> webSockets = [];

    private BrowserSession(IBrowserContext context, IPage page)
    {
        this.context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            // Chromium reports every 4xx answer on the console too; the refusals a test provokes are not errors of the page.
            if (message.Type == "error" && !expectedStatuses.Any(s => message.Text.Contains($"status of {s}", StringComparison.Ordinal)))
                Record($"console error: {message.Text}");
        };
        page.WebSocket += (_, socket) => { lock (webSockets) webSockets.Add(socket.Url); };
        page.PageError += (_, error) => Record($"uncaught: {error}");
        page.RequestFailed += (_, request) => Record($"request failed: {request.Method} {request.Url}: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !expectedStatuses.Contains(response.Status))
                Record($"{response.Status} for {response.Request.Method} {response.Url}");
        };
    }

    public IPage Page { get; }

    /// <summary>The URLs of every WebSocket the page opened.</summary>
    public IReadOnlyList<string> WebSockets
    {
        get { lock (webSockets) return [.. webSockets]; }
    }

    /// <param name="beforeLoad">Runs on the page before it loads (routes, for instance).</param>
    public static async Task<BrowserSession> OpenAsync(ChromiumFixture chromium, Uri url, BrowserNewContextOptions? options = null,
        Func<IPage, Task>? beforeLoad = null)
    {
        var context = await chromium.Browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        var session = new BrowserSession(context, await context.NewPageAsync());
        if (beforeLoad is not null) await beforeLoad(session.Page);
        await session.Page.GotoAsync(url.ToString());
        await Assertions.Expect(session.Page.Locator("#connection")).ToHaveTextAsync("Live");
        return session;
    }

    /// <summary>Refusals with this status are what the test is about, not a failure of the page.</summary>
    public void Expect(int status) => expectedStatuses.Add(status);

    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, $"{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public void AssertNoErrors()
    {
        lock (problems) Assert.True(problems.Count == 0, $"the page had errors:\n{string.Join('\n', problems)}");
    }

    public async ValueTask DisposeAsync() => await context.CloseAsync();

    private void Record(string problem)
    {
        lock (problems) problems.Add(problem);
    }
}
