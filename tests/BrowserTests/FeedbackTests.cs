using MnistEvents.BrowserTests.Support;
using MnistEvents.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace MnistEvents.BrowserTests;

[Collection(UiCollection.Name)]
public class FeedbackTests(ChromiumFixture chromium, SharedApp app)
{
    [Fact]
    public async Task CorrectionIsKeptOnTheVolumeAndTheCountRises()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!);
        var page = session.Page;
        var before = int.Parse(await page.Locator("#feedback-count").InnerTextAsync());
        await Pad.DrawDigitAsync(page, TestData.Test.Image(3).ToArray());
        var card = await Pad.FinalAnswerAsync(page);
        var predictionId = await card.GetAttributeAsync("data-id");

        await card.Locator("select").SelectOptionAsync("6");
        await card.Locator("button", new() { HasTextString = "Correct" }).ClickAsync();

        await Expect(card.Locator(".said")).ToContainTextAsync("Kept: it was a 6");
        await Expect(page.Locator("#feedback-count")).ToHaveTextAsync((before + 1).ToString());
        var kept = File.ReadLines(app.FeedbackPath).Where(line => line.Contains(predictionId!, StringComparison.Ordinal)).ToList();
        Assert.Single(kept);
        Assert.Contains("\"label\":6", kept[0]);
        session.AssertNoErrors();
    }

    [Fact]
    public async Task AnAdminSeesEachCorrectionsStandingAndCanRejectOne()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!);
        var page = session.Page;
        await Pad.DrawDigitAsync(page, TestData.Test.Image(5).ToArray());
        var card = await Pad.FinalAnswerAsync(page);
        var predictionId = await card.GetAttributeAsync("data-id");
        await card.Locator("select").SelectOptionAsync("2");
        await card.Locator("button", new() { HasTextString = "Correct" }).ClickAsync();
        await Expect(card.Locator(".said")).ToContainTextAsync("Kept: it was a 2");

        await page.Locator("#corrections-load").ClickAsync();
        await Expect(page.Locator("#corrections-status")).ToContainTextAsync("admin token");
        await page.Locator("#token").FillAsync(UiApp.AdminToken);
        await page.Locator("#corrections-load").ClickAsync();

        var item = page.Locator($".correction[data-id='{predictionId}']");
        await Expect(item).ToContainTextAsync("Labelled 2");
        await Expect(page.Locator("#corrections-summary")).ToContainTextAsync("kept:");
        await item.Locator("button", new() { HasTextString = "Reject" }).ClickAsync();
        await Expect(item).ToContainTextAsync("refused: rejected");
        await Expect(item).ToHaveAttributeAsync("data-standing", "refused");
        session.AssertNoErrors();
    }
}
