using Microsoft.Playwright;
using MnistEvents.BrowserTests.Support;
using MnistEvents.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace MnistEvents.BrowserTests;

[Collection(UiCollection.Name)]
public class AccessibilityTests(ChromiumFixture chromium, SharedApp app)
{
    [Fact]
    public async Task KeyboardAloneDrawsGetsTheAnswerAndCorrectsItWithFocusAlwaysVisible()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!);
        var page = session.Page;
        var keyboard = page.Keyboard;

        await keyboard.PressAsync("Tab");
        Assert.Equal("Skip to the drawing pad", await FocusedAsync(page, "textContent"));
        await keyboard.PressAsync("Tab");
        Assert.Equal("draw", await FocusedAsync(page, "id"));
        await AssertFocusVisibleAsync(page);

        // A vertical stroke, pen down and up with Space: a one.
        await keyboard.PressAsync("ArrowUp");
        await keyboard.PressAsync("ArrowUp");
        await keyboard.PressAsync("ArrowUp");
        await keyboard.PressAsync("ArrowUp");
        await keyboard.PressAsync("Space");
        for (var i = 0; i < 10; i++) await keyboard.PressAsync("ArrowDown");
        await keyboard.PressAsync("Space");
        var card = await Pad.FinalAnswerAsync(page);
        await Expect(card.Locator(".digit")).ToHaveTextAsync("1");

        foreach (var expected in new[] { "undo", "clear", "files" })
        {
            await keyboard.PressAsync("Tab");
            Assert.Equal(expected, await FocusedAsync(page, "id"));
            await AssertFocusVisibleAsync(page);
        }
        await keyboard.PressAsync("Tab");
        Assert.Equal("The digit it really was", await FocusedAsync(page, "ariaLabel"));
        await AssertFocusVisibleAsync(page);
        await keyboard.PressAsync("7");
        await keyboard.PressAsync("Tab");
        Assert.Equal("Correct", await FocusedAsync(page, "textContent"));
        await AssertFocusVisibleAsync(page);
        await keyboard.PressAsync("Enter");
        await Expect(card.Locator(".said")).ToContainTextAsync("Kept: it was a 7");

        await page.Locator("#draw").FocusAsync();
        await keyboard.PressAsync("Delete");
        await Expect(page.Locator("#clear")).ToBeDisabledAsync();
        session.AssertNoErrors();
    }

    [Fact]
    public async Task AtPhoneWidthEverythingFitsWithoutSidewaysScrollingAndDrawingWorks()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!, new BrowserNewContextOptions
        {
            ViewportSize = new() { Width = 375, Height = 812 },
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 2,
        });
        var page = session.Page;

        await Pad.DrawDigitAsync(page, TestData.Test.Image(0).ToArray());
        var card = await Pad.FinalAnswerAsync(page);
        await Expect(card.Locator(".digit")).ToHaveTextAsync(TestData.Test.Labels[0].ToString());

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the page scrolls sideways at 375 px");
        Assert.True((await page.Locator("#draw").BoundingBoxAsync())!.Width <= 375);
        await session.ScreenshotAsync("phone");
        session.AssertNoErrors();
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task TextContrastMeetsWcagAaAndTheThemeFollowsTheSystem(ColorScheme scheme)
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!, new BrowserNewContextOptions
        {
            ViewportSize = new() { Width = 1280, Height = 900 },
            ColorScheme = scheme,
        });
        var page = session.Page;
        await page.Locator("#files").SetInputFilesAsync(new FilePayload { Name = "seven.png", MimeType = "image/png", Buffer = Uploads.DigitPng(0) });
        await Expect(page.Locator(".result[data-state=done]")).ToHaveCountAsync(1);

        var background = await page.EvaluateAsync<double>("() => {" + WcagContrast.Script + "; return luminance(getComputedStyle(document.body).backgroundColor); }");
        if (scheme == ColorScheme.Dark) Assert.True(background < 0.05, $"dark theme background luminance {background}");
        else Assert.True(background > 0.8, $"light theme background luminance {background}");

        var ratios = await page.EvaluateAsync<Dictionary<string, double>>("() => {" + WcagContrast.Script + "; return measure(); }");
        Assert.All(ratios, r => Assert.True(r.Value >= 4.5, $"{r.Key}: contrast {r.Value:0.00} is below 4.5:1"));
        if (scheme == ColorScheme.Dark) await session.ScreenshotAsync("dark");
        session.AssertNoErrors();
    }

    private static Task<string> FocusedAsync(IPage page, string property) =>
        page.EvaluateAsync<string>($"() => document.activeElement?.{property}?.trim() ?? ''");

    private static async Task AssertFocusVisibleAsync(IPage page)
    {
        var outline = await page.EvaluateAsync<string>("() => { const s = getComputedStyle(document.activeElement); return `${s.outlineStyle} ${s.outlineWidth}`; }");
        Assert.Equal("solid 3px", outline);
    }
}
