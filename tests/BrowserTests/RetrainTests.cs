using MnistEvents.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace MnistEvents.BrowserTests;

/// <summary>Retraining from the page: real TorchSharp training on a small real subset (2,000 MNIST images, one epoch).</summary>
[Collection(UiCollection.Name)]
public class RetrainTests(ChromiumFixture chromium, TrainingApp app) : IClassFixture<TrainingApp>
{
    [Fact]
    public async Task RetrainShowsProgressCurvesAndThenTheNewVersionOnTheReplicas()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!);
        var page = session.Page;
        var replica = page.Locator("#replicas tr[data-replica]");
        await Expect(replica).ToHaveCountAsync(1);
        var before = await replica.Locator("td").First.InnerTextAsync();

        await page.GetByLabel("Admin token").FillAsync(UiApp.AdminToken);
        await page.GetByLabel("Epochs").FillAsync("1");
        await page.GetByLabel("Training images").FillAsync("2000");
        // 2,000 images make a model the gate may rightly refuse beside the seed's; this test is about the round trip.
        await page.GetByLabel("Serve it even if it scores worse").CheckAsync();
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Start training" }).ClickAsync();

        await Expect(page.Locator("#training-title")).ToHaveTextAsync("Training cnn on 2,000 images, 1 epoch");
        await Expect(page.Locator("#loss-chart polyline")).ToHaveAttributeAsync("points", new System.Text.RegularExpressions.Regex(@"\d+(\.\d+)?,\d+(\.\d+)?"));
        await Expect(page.Locator("#training-outcome")).ToContainTextAsync("is served by 1 of 1 replica", new() { Timeout = 120_000 });
        var after = await replica.Locator("td").First.InnerTextAsync();
        Assert.NotEqual(before, after);
        await Expect(page.Locator("#training-outcome")).ToContainTextAsync(after);
        await Expect(page.Locator("#current-model [data-field=version]")).ToContainTextAsync(after);
        Assert.Equal(1, await page.Locator("#training-progress").EvaluateAsync<double>("p => p.value"));
        await session.ScreenshotAsync("desktop-retrained");
        session.AssertNoErrors();

        // What the person who started it saw on the console meanwhile: where to go, the training's progress, no failures.
        var console = File.ReadAllText(app.AllInOne.LogPath);
        Assert.Contains($"Open {app.AllInOne.Url!.GetLeftPart(UriPartial.Authority)} in a browser", console);
        Assert.Matches(@"Training [0-9a-f-]+: epoch 1/1, \d+%", console);
        Assert.DoesNotContain("fail:", console);
    }
}
