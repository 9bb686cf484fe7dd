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
    public async Task AGatewayThatCannotBeReachedIsAProblemThatSaysSo()
    {
        var port = Repository.FreePort();
        using var web = new ServiceProcess("web-no-gateway", Repository.ServiceExecutable("Web"), [], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Web__GatewayUrl"] = $"http://127.0.0.1:{Repository.FreePort()}",
        }, app.WorkDirectory) { Url = new Uri($"http://127.0.0.1:{port}") };
        web.Start();
        await web.WaitReadyAsync();
        using var http = new HttpClient { BaseAddress = web.Url };

        var response = await http.GetAsync("/models");

        Assert.Equal(System.Net.HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("did not answer", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }
}
