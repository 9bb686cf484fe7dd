using Microsoft.Playwright;
using MnistEvents.BrowserTests.Support;
using MnistEvents.Registry;
using MnistEvents.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace MnistEvents.BrowserTests;

/// <summary>
/// What a person sees of the promotion gate, shadowing and rollback: a model trained on 500 real MNIST images (one
/// epoch, for speed, after six corrections from the page, which it learns from) is refused beside the seed's, stays
/// kept, can be served by hand, and the seed's served again; one
/// asked to be shadowed first waits, counting the digits uploaded from the page, and serves once they are enough.
/// </summary>
[Collection(UiCollection.Name)]
public class ModelLifecycleTests(ChromiumFixture chromium, LifecycleApp app) : IClassFixture<LifecycleApp>
{
    [Fact]
    public async Task AWorseModelIsRefusedAndAnyKeptVersionCanBeServedFromThePage()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!);
        var page = session.Page;
        var replica = page.Locator("#replicas tr[data-replica] td").First;
        await Expect(replica).Not.ToHaveTextAsync("no model");
        var seed = await replica.InnerTextAsync();

        // People's corrections are counted, and the next training learns from them (a fifth is held back to judge it).
        var corrected = Enumerable.Range(0, 6).Select(i => new FilePayload { Name = $"corrected-{i}.png", MimeType = "image/png", Buffer = Uploads.DigitPng(i) }).ToArray();
        await page.Locator("#files").SetInputFilesAsync(corrected);
        for (var i = 0; i < corrected.Length; i++)
        {
            var card = page.Locator(".result").Filter(new() { Has = page.Locator("h3", new() { HasTextString = corrected[i].Name }) });
            await Expect(card).ToHaveAttributeAsync("data-state", "done");
            await card.Locator("select").SelectOptionAsync(TestData.Test.Labels[i].ToString());
            await card.Locator("button", new() { HasTextString = "Correct" }).ClickAsync();
            await Expect(card.Locator(".said")).ToContainTextAsync("Kept");
        }
        await Expect(page.Locator("#feedback-count")).ToContainTextAsync("6");

        await RetrainOn500ImagesAsync(page);

        var outcome = page.Locator("#training-outcome");
        await Expect(outcome).ToContainTextAsync("was not promoted", new() { Timeout = 120_000 });
        await Expect(outcome).ToContainTextAsync($"{seed} keeps serving");
        var refused = page.Locator("#versions tr[data-version]").Filter(new() { HasText = "refused" });
        await Expect(refused).ToHaveCountAsync(1);
        var candidate = await refused.GetAttributeAsync("data-version");
        var learned = new ModelRegistry(Path.Combine(app.WorkDirectory, "mnist.pt")).Find(candidate!)!.Corrections;
        Assert.InRange(learned ?? 0, 1, corrected.Length);
        await Expect(refused).ToContainTextAsync($"learned from {learned} correction");
        await Expect(page.Locator($"#versions tr[data-version='{seed}']")).ToContainTextAsync("serving");
        // The seed's file came without scores; judged against, it has them.
        await Expect(page.Locator("#current-model [data-field=accuracy]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d\d%$"));
        Assert.Equal(seed, await replica.InnerTextAsync());
        await session.ScreenshotAsync("desktop-refused");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Serve version {candidate}" }).ClickAsync();
        await Expect(replica).ToHaveTextAsync(candidate!);
        await Expect(page.Locator($"#versions tr[data-version='{candidate}']")).ToContainTextAsync("serving");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Serve version {seed}" }).ClickAsync();
        await Expect(replica).ToHaveTextAsync(seed);
        await Expect(page.Locator("#current-model [data-field=version]")).ToContainTextAsync(seed);

        // The candidate traced back from its row: the corrections file it read (no correction since), and who served it.
        var volume = new ModelRegistry(Path.Combine(app.WorkDirectory, "mnist.pt")).Volume;
        var correctionsSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(volume.CorrectionsPath)));
        await page.GetByRole(AriaRole.Button, new() { Name = $"Lineage of version {candidate}" }).ClickAsync();
        var lineage = page.Locator("#lineage");
        await Expect(lineage.Locator("h3")).ToHaveTextAsync($"Lineage of {candidate}");
        await Expect(lineage).ToContainTextAsync($"sha256 {correctionsSha[..12]}");
        await Expect(lineage).ToContainTextAsync($"the first 500 images");
        await Expect(lineage).ToContainTextAsync($"activate from");
        await Expect(lineage).ToContainTextAsync($"replacing {seed}");
        session.AssertNoErrors();
    }

    [Fact]
    public async Task AModelShadowedFirstServesOnlyOnceTheDigitsUploadedFromThePageWereCompared()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!);
        var page = session.Page;
        var replica = page.Locator("#replicas tr[data-replica] td").First;
        await Expect(replica).Not.ToHaveTextAsync("no model");
        var served = await replica.InnerTextAsync();

        await RetrainOn500ImagesAsync(page, shadowFirstOn: 8);

        var outcome = page.Locator("#training-outcome");
        await Expect(outcome).ToContainTextAsync("passed the gate and is being shadowed: 0 of 8 live digits compared", new() { Timeout = 120_000 });
        var waiting = page.Locator("#versions tr[data-version]").Filter(new() { HasText = "being shadowed" });
        await Expect(waiting).ToHaveCountAsync(1);
        var candidate = await waiting.GetAttributeAsync("data-version");
        Assert.Equal(served, await replica.InnerTextAsync());

        // Uploads until the candidate serves: each batch the replica answers is also run on the candidate.
        var uploads = 0;
        await Poll.Until(async () =>
        {
            var files = Enumerable.Range(uploads, 4).Select(i => new FilePayload { Name = $"shadowed-{i}.png", MimeType = "image/png", Buffer = Uploads.DigitPng(i % 10) });
            uploads += 4;
            await page.Locator("#files").SetInputFilesAsync(files.ToArray());
            return await replica.InnerTextAsync() == candidate;
        }, $"{candidate} served after shadowing");
        await Expect(outcome).ToContainTextAsync($"Version {candidate}");
        await Expect(page.Locator($"#versions tr[data-version='{candidate}']")).ToContainTextAsync("promoted after");
        await session.ScreenshotAsync("desktop-shadowed");

        // What served before serves again, for the other test.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Serve version {served}" }).ClickAsync();
        await Expect(replica).ToHaveTextAsync(served);
        session.AssertNoErrors();
    }

    /// <summary>One epoch on 500 real MNIST images, from the form; asked to be shadowed first, also served regardless of its scores.</summary>
    private static async Task RetrainOn500ImagesAsync(IPage page, int? shadowFirstOn = null)
    {
        await page.GetByLabel("Admin token").FillAsync(UiApp.AdminToken);
        await page.GetByLabel("Epochs").FillAsync("1");
        await page.GetByLabel("Training images").FillAsync("500");
        if (shadowFirstOn is { } digits)
        {
            await page.GetByLabel("Serve it even if it scores worse").CheckAsync();
            await page.GetByLabel("Shadow it first on").FillAsync(digits.ToString());
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Start training" }).ClickAsync();
    }
}
