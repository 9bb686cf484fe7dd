using MnistEvents.BrowserTests.Support;
using MnistEvents.TestSupport;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MnistEvents.BrowserTests;

[Collection(UiCollection.Name)]
public class DrawingTests(ChromiumFixture chromium, SharedApp app, ITestOutputHelper output)
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task DrawnMnistTestDigitIsAnsweredLiveWithWhatTheModelSaw(int index)
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!);
        var label = TestData.Test.Labels[index];

        await Pad.DrawDigitAsync(session.Page, TestData.Test.Image(index).ToArray());

        var card = await Pad.FinalAnswerAsync(session.Page);
        await Expect(card.Locator(".digit")).ToHaveTextAsync(label.ToString());
        await Expect(card.Locator(".bars li")).ToHaveCountAsync(10);
        await Expect(card.Locator("canvas")).ToHaveAttributeAsync("aria-label", $"What the model saw: the 28 by 28 image it classified as {label}");
        output.WriteLine($"test digit {index} ({label}): on screen {await card.GetAttributeAsync("data-stroke-to-result-ms")} ms after the last stroke");
        session.AssertNoErrors();
    }
}
