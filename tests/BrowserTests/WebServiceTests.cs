using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using MnistEvents.BrowserTests.Support;
using MnistEvents.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace MnistEvents.BrowserTests;

/// <summary>Services/Web in front of a gateway: the same page, the API and the hub forwarded on one origin, WebSockets included.</summary>
[Collection(UiCollection.Name)]
public class WebServiceTests(ChromiumFixture chromium, SharedApp app)
{
    [Fact]
    public async Task ThroughWebADrawnAndAnUploadedDigitAreAnsweredOverAForwardedWebSocket()
    {
        var web = app.Web!.Url!;
        await using var session = await BrowserSession.OpenAsync(chromium, web);
        var page = session.Page;
        Assert.Contains(session.WebSockets, url => url.StartsWith($"ws://{web.Authority}/hubs/predictions", StringComparison.Ordinal));

        await Pad.DrawDigitAsync(page, TestData.Test.Image(2).ToArray());
        var drawn = await Pad.FinalAnswerAsync(page);
        await Expect(drawn.Locator(".digit")).ToHaveTextAsync(TestData.Test.Labels[2].ToString());

        await page.Locator("#files").SetInputFilesAsync(new FilePayload { Name = "four.png", MimeType = "image/png", Buffer = Uploads.DigitPng(4) });
        var uploaded = page.Locator(".result[data-state=done]").Filter(new() { HasTextString = "four.png" });
        await Expect(uploaded.Locator(".digit")).ToHaveTextAsync(TestData.Test.Labels[4].ToString());
        await Expect(page.Locator("#replicas tr[data-replica]")).ToHaveCountAsync(1);
        session.AssertNoErrors();
    }

    [Fact]
    public async Task ThroughWebCurlStillGetsTheSeedsJsonAndABrowserTheUi()
    {
        using var http = new HttpClient { BaseAddress = app.Web!.Url };

        var api = await http.GetAsync("/");
        using var browser = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Accept = { new MediaTypeWithQualityHeaderValue("text/html") } } };
        var page = await http.SendAsync(browser);

        Assert.Equal("use POST /prediction instead of root route", JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<canvas id=\"draw\"", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BeforeAnyPredictorServesThePageSaysSoAndTheUploadWaits()
    {
        // The gateway service alone, as on a first deploy before the trainer's model: nothing answers predictions yet.
        using var gateway = Start("gateway-alone", "Gateway", new()
        {
            ["ModelVolume__ModelPath"] = Path.Combine(app.WorkDirectory, "alone", "mnist.pt"),
        });
        await gateway.WaitReadyAsync();
        using var web = Start("web-before-gateway-alone", "Web", new() { ["Web__GatewayUrl"] = gateway.Url!.ToString() });
        await web.WaitReadyAsync();
        await using var session = await BrowserSession.OpenAsync(chromium, web.Url!);
        var page = session.Page;

        await Expect(page.Locator("#no-model")).ToBeVisibleAsync();
        await page.Locator("#files").SetInputFilesAsync(new FilePayload { Name = "early.png", MimeType = "image/png", Buffer = Uploads.DigitPng(0) });

        var card = page.Locator(".result").Filter(new() { HasTextString = "early.png" });
        await Expect(card.Locator(".pending")).ToHaveTextAsync("Waiting for a predictor…");
        await Expect(page.Locator("#replicas")).ToContainTextAsync("No replica is reporting.");
        session.AssertNoErrors();
    }

    [Fact]
    public async Task AGatewayThatCannotBeReachedIsAProblemThatSaysSo()
    {
        using var web = Start("web-no-gateway", "Web", new() { ["Web__GatewayUrl"] = $"http://127.0.0.1:{Repository.FreePort()}" });
        await web.WaitReadyAsync();
        using var http = new HttpClient { BaseAddress = web.Url };

        var response = await http.GetAsync("/models");

        Assert.Equal(System.Net.HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("did not answer", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    private ServiceProcess Start(string name, string project, Dictionary<string, string> environment)
    {
        var process = ServiceProcess.OnFreePort(name, project, [], environment, app.WorkDirectory);
        process.Start();
        return process;
    }
}
