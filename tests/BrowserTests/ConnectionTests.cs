using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MnistEvents.BrowserTests.Support;
using MnistEvents.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace MnistEvents.BrowserTests;

[Collection(UiCollection.Name)]
public class ConnectionTests(ChromiumFixture chromium, SharedApp app)
{
    [Fact]
    public async Task APushLostWithItsConnectionIsFetchedByIdAfterTheReconnect()
    {
        // Every hub WebSocket passes through the test, which can drop the server's 'predicted' pushes and cut the connection.
        var dropping = 1;
        var dropped = 0;
        var sockets = new List<IWebSocketRoute>();
        await using var session = await BrowserSession.OpenAsync(chromium, app.AllInOne.Url!, beforeLoad: page => page.RouteWebSocketAsync(new Regex("/hubs/predictions"), socket =>
        {
            var server = socket.ConnectToServer();
            server.OnMessage(frame =>
            {
                if (frame.Text is { } text && text.Contains("\"target\":\"predicted\"", StringComparison.Ordinal) && Volatile.Read(ref dropping) == 1)
                {
                    Interlocked.Increment(ref dropped);
                    return;
                }
                if (frame.Text is { } forward) socket.Send(forward);
                else socket.Send(frame.Binary!);
            });
            lock (sockets) sockets.Add(socket);
        }));
        var page = session.Page;
        var fetchedById = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method == "GET" && request.Url.Contains("/predictions/", StringComparison.Ordinal)) lock (fetchedById) fetchedById.Add(request.Url);
        };

        await page.Locator("#files").SetInputFilesAsync(new FilePayload { Name = "lost-push.png", MimeType = "image/png", Buffer = Uploads.DigitPng(0) });
        await Poll.Until(() => Task.FromResult(Volatile.Read(ref dropped) == 1), "the result's push, dropped on its way to the page");
        Interlocked.Exchange(ref dropping, 0);
        IWebSocketRoute cut;
        lock (sockets) cut = sockets[^1];
        await cut.CloseAsync(new WebSocketRouteCloseOptions { Code = 1011, Reason = "the test cuts the connection" });

        await Expect(page.Locator("#connection")).ToHaveTextAsync("Reconnecting…");
        await Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
        var card = page.Locator(".result").Filter(new() { HasTextString = "lost-push.png" });
        await Expect(card.Locator(".digit")).ToHaveTextAsync(TestData.Test.Labels[0].ToString());
        var id = await card.GetAttributeAsync("data-id");
        lock (fetchedById) Assert.Contains(fetchedById, url => url.EndsWith($"/predictions/{id}", StringComparison.Ordinal));
        session.AssertNoErrors();
    }
}
