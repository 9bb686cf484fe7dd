using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MnistEvents.BrowserTests.Support;
using MnistEvents.TestSupport;
using SixLabors.ImageSharp.Formats.Png;
using static Microsoft.Playwright.Assertions;

namespace MnistEvents.BrowserTests;

/// <summary>
/// What a person sees of the system retraining itself: everyday digits uploaded from the page keep the drift score low
/// and the policy quiet; then uploads unlike the served version's data (two digits over each other, a seeded family)
/// lift the score past the threshold, the policy asks for a retrain in the drift panel's words, the training's
/// progress shows, and the promotion gate's verdict on what it trained (one epoch on 500 real images, so refused beside
/// the seed's) is given, the seed serving on.
/// </summary>
[Collection(UiCollection.Name)]
public class SelfRetrainingTests(ChromiumFixture chromium, SelfRetrainApp app) : IClassFixture<SelfRetrainApp>
{
    [Fact]
    public async Task TheDriftPanelShowsTheLiveDigitsDriftAndTheSystemRetrainOnItsOwnThenTheGatesVerdict()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!);
        var page = session.Page;
        await Expect(page.Locator("#policy-state")).ToContainTextAsync("on: at most once every 0 min");
        await Expect(page.Locator("#policy-rules li[data-rule=drift]")).ToContainTextAsync("drift score above 0.25 for 0.05 min");

        await UploadAsync(page, "everyday", Enumerable.Range(0, 160).Select(Uploads.DigitPng).ToList());
        var state = page.Locator("#drift-state");
        var scored = new Regex(@"^Drift (\d+\.\d+), largest on \w+, over (\d+) live digits");
        await Expect(state).ToContainTextAsync(new Regex(@"^Drift \d+\.\d+, largest on \w+, over 160 live digits"));
        var everyday = double.Parse(scored.Match(await state.InnerTextAsync()).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(everyday < 0.25, $"everyday digits scored {everyday}");
        await Expect(page.Locator("#policy-decisions li")).ToHaveCountAsync(0);

        // Uploads of the drifted family, 32 at a time, until the score passes the threshold: each page shows it as it is pushed.
        var overlaid = DriftedDigits.Overlaid(640, seed: 7);
        var sent = 0;
        await Poll.Until(async () =>
        {
            await UploadAsync(page, "overlaid", Enumerable.Range(sent, 32).Select(i => Png(overlaid.AsSpan(i * 784, 784))).ToList(), sent);
            sent += 32;
            return scored.Match(await state.InnerTextAsync()) is { Success: true } m && double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 0.25;
        }, "the drift score past 0.25", TimeSpan.FromSeconds(120));

        var fired = page.Locator("#policy-decisions li[data-outcome=fired]");
        await Expect(fired).ToContainTextAsync($"asked for a retrain (drift): policy: live digits drifted from {app.SeedVersion}'s data", new() { Timeout = 60_000 });
        await Expect(page.Locator("#drift-features tr.shifted")).Not.ToHaveCountAsync(0);
        var outcome = page.Locator("#training-outcome");
        await Expect(outcome).ToContainTextAsync("was not promoted", new() { Timeout = 120_000 });
        await Expect(outcome).ToContainTextAsync($"{app.SeedVersion} keeps serving");
        await Expect(fired).ToHaveCountAsync(1);
        await session.ScreenshotAsync("desktop-drift");
        session.AssertNoErrors();
    }

    // At most 16 files a submission, as the page itself sends them; each answered before the next.
    private static async Task UploadAsync(IPage page, string name, IReadOnlyList<byte[]> pngs, int numberedFrom = 0)
    {
        for (var start = 0; start < pngs.Count; start += 16)
        {
            var files = pngs.Skip(start).Take(16)
                .Select((png, i) => new FilePayload { Name = $"{name}-{numberedFrom + start + i}.png", MimeType = "image/png", Buffer = png }).ToArray();
            await page.Locator("#files").SetInputFilesAsync(files);
            foreach (var file in files)
                await Expect(page.Locator(".result").Filter(new() { Has = page.Locator("h3", new() { HasTextString = file.Name }) }))
                    .ToHaveAttributeAsync("data-state", "done");
        }
    }

    private static byte[] Png(ReadOnlySpan<byte> digit)
    {
        using var image = DigitImages.Render(digit, scale: 4, darkOnLight: true);
        return DigitImages.Encode(image, new PngEncoder());
    }
}
