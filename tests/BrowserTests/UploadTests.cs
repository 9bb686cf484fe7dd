using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MnistEvents.BrowserTests.Support;
using MnistEvents.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace MnistEvents.BrowserTests;

[Collection(UiCollection.Name)]
public class UploadTests(ChromiumFixture chromium, SharedApp app)
{
    [Fact]
    public async Task FiveMnistTestImagesUploadedAtOnceEachGetTheirOwnRightDigit()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!);
        var files = Enumerable.Range(0, 5)
            .Select(i => new FilePayload { Name = $"test-{i}.png", MimeType = "image/png", Buffer = Uploads.DigitPng(i) })
            .ToArray();

        await session.Page.Locator("#files").SetInputFilesAsync(files);

        for (var i = 0; i < files.Length; i++)
        {
            var card = Card(session.Page, files[i].Name);
            await Expect(card).ToHaveAttributeAsync("data-state", "done");
            await Expect(card.Locator(".digit")).ToHaveTextAsync(TestData.Test.Labels[i].ToString());
            await Expect(card.Locator("img")).ToHaveAttributeAsync("alt", $"{files[i].Name} as uploaded");
        }
        await session.ScreenshotAsync("desktop");
        session.AssertNoErrors();
    }

    [Fact]
    public async Task ImagesDroppedAnywhereOnThePageAreClassifiedLikeChosenOnes()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!);
        int[] indexes = [5, 6];
        var transfer = await session.Page.EvaluateHandleAsync("""
            files => {
              const transfer = new DataTransfer();
              for (const f of files) transfer.items.add(new File([Uint8Array.from(atob(f.data), c => c.charCodeAt(0))], f.name, { type: 'image/png' }));
              return transfer;
            }
            """, indexes.Select(i => new { name = $"dropped-{i}.png", data = Convert.ToBase64String(Uploads.DigitPng(i)) }).ToArray());

        await session.Page.Locator("#results-title").DispatchEventAsync("drop", new { dataTransfer = transfer });

        foreach (var i in indexes)
        {
            var card = Card(session.Page, $"dropped-{i}.png");
            await Expect(card.Locator(".digit")).ToHaveTextAsync(TestData.Test.Labels[i].ToString());
        }
        session.AssertNoErrors();
    }

    [Fact]
    public async Task ADoubtfulUploadShowsWhyUnderItsAnswerAndAClearOneShowsNothing()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!);

        await session.Page.Locator("#files").SetInputFilesAsync(
        [
            // A 60-pixel digit in a 1600×1200 photo: read, but worth a closer crop.
            new FilePayload { Name = "far.jpg", MimeType = "image/jpeg", Buffer = Photos.Digit(0, 1600, 1200, 60, Photos.Black, left: 300, top: 200) },
            new FilePayload { Name = "near.png", MimeType = "image/png", Buffer = Uploads.DigitPng(1) },
        ]);

        var far = Card(session.Page, "far.jpg");
        await Expect(far.Locator(".digit")).ToHaveTextAsync(TestData.Test.Labels[0].ToString());
        await Expect(far.Locator(".warnings li")).ToHaveTextAsync(new Regex("^The digit fills only a small part of the picture"));
        var near = Card(session.Page, "near.png");
        await Expect(near.Locator(".digit")).ToHaveTextAsync(TestData.Test.Labels[1].ToString());
        await Expect(near.Locator(".warnings")).ToHaveCountAsync(0);
        session.AssertNoErrors();
    }

    [Fact]
    public async Task TextFileAndPngBombAreEachRefusedInWords()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!);
        session.Expect(400); // nothing in the submission can be classified: the first file's status, every file's reason

        await session.Page.Locator("#files").SetInputFilesAsync(
        [
            new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "seven"u8.ToArray() },
            new FilePayload { Name = "bomb.png", MimeType = "image/png", Buffer = ImageBombs.PngPixels(20_000, 20_000) },
        ]);

        await Expect(Card(session.Page, "notes.txt").Locator(".refusal")).ToHaveTextAsync("The file is not an image (PNG, JPEG, GIF, BMP or WebP expected).");
        await Expect(Card(session.Page, "bomb.png").Locator(".refusal")).ToContainTextAsync("The image is 20000×20000 (400,000,000 pixels)");
        await Expect(session.Page.Locator(".result figure:not([hidden])")).ToHaveCountAsync(0);
        session.AssertNoErrors();
    }

    private static ILocator Card(IPage page, string title) => page.Locator(".result").Filter(new() { Has = page.Locator("h3", new() { HasTextString = title }) });
}
