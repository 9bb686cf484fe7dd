using Microsoft.Playwright;

namespace MnistEvents.BrowserTests.Support;

/// <summary>Draws on the page's pad with the mouse, as a person would.</summary>
public static class Pad
{
    private const int Side = 28;

    /// <summary>
    /// Replays a real MNIST digit's ink as strokes: each row's runs of ink become one horizontal drag across them, so
    /// the drawn shape is the digit's own, in a thick pen.
    /// </summary>
    public static async Task DrawDigitAsync(IPage page, ReadOnlyMemory<byte> pixels, byte threshold = 128)
    {
        var box = await page.Locator("#draw").BoundingBoxAsync() ?? throw new InvalidOperationException("the pad is not on screen");
        var scale = box.Width / Side;
        for (var row = 0; row < Side; row++)
        {
            for (var col = 0; col < Side; col++)
            {
                if (pixels.Span[row * Side + col] < threshold) continue;
                var start = col;
                while (col + 1 < Side && pixels.Span[row * Side + col + 1] >= threshold) col++;
                var y = box.Y + (row + 0.5) * scale;
                await page.Mouse.MoveAsync((float)(box.X + (start + 0.5) * scale), (float)y);
                await page.Mouse.DownAsync();
                await page.Mouse.MoveAsync((float)(box.X + (col + 0.5) * scale), (float)y, new MouseMoveOptions { Steps = Math.Max(1, col - start) });
                await page.Mouse.UpAsync();
            }
        }
    }

    /// <summary>The drawing's entry once it shows the answer for the pad's final drawing.</summary>
    public static async Task<ILocator> FinalAnswerAsync(IPage page)
    {
        var version = await page.Locator("#draw").GetAttributeAsync("data-version");
        // The answer to the drawing as finished: one sent mid-stroke may be shown first for the same version, under another prediction id.
        var card = page.Locator($".result[data-version=\"{version}\"][data-state=\"done\"][data-stroke-to-result-ms]");
        await Assertions.Expect(card).ToHaveCountAsync(1);
        return card;
    }
}
