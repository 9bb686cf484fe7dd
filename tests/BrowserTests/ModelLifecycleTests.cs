using MnistEvents.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace MnistEvents.BrowserTests;

/// <summary>
/// What a person sees of the promotion gate and rollback: a model trained on 500 real MNIST images (one epoch, for speed)
/// is refused beside the seed's, stays kept, can be served by hand, and the seed's served again.
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

        await page.GetByLabel("Retrain token").FillAsync(UiApp.RetrainToken);
        await page.GetByLabel("Epochs").FillAsync("1");
        await page.GetByLabel("Training images").FillAsync("500");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Start training" }).ClickAsync();

        var outcome = page.Locator("#training-outcome");
        await Expect(outcome).ToContainTextAsync("was not promoted", new() { Timeout = 120_000 });
        await Expect(outcome).ToContainTextAsync($"{seed} keeps serving");
        var refused = page.Locator("#versions tr[data-version]").Filter(new() { HasText = "refused" });
        await Expect(refused).ToHaveCountAsync(1);
        var candidate = await refused.GetAttributeAsync("data-version");
        await Expect(page.Locator($"#versions tr[data-version='{seed}']")).ToContainTextAsync("serving");
        Assert.Equal(seed, await replica.InnerTextAsync());
        await session.ScreenshotAsync("desktop-refused");

        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = $"Serve version {candidate}" }).ClickAsync();
        await Expect(replica).ToHaveTextAsync(candidate!);
        await Expect(page.Locator($"#versions tr[data-version='{candidate}']")).ToContainTextAsync("serving");

        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = $"Serve version {seed}" }).ClickAsync();
        await Expect(replica).ToHaveTextAsync(seed);
        await Expect(page.Locator("#current-model [data-field=version]")).ToContainTextAsync(seed);
        session.AssertNoErrors();
    }
}
