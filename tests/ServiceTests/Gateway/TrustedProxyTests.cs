using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// Behind Services/Web every browser arrives from the proxy's address: the gateway believes the proxy's X-Forwarded-For
/// (<c>Proxies:Trusted</c>), and no one else's. Real processes on loopback, each client from an address of its own.
/// </summary>
public class TrustedProxyTests
{
    // A client's share of predictions: 10 at once, then 1 a second. A share used up answers 429 before any upload is read.
    private const int Burst = 10;

    [Fact]
    public async Task ThroughWebEachClientHasItsOwnShareAndAForgedForwardedForFromAnyoneElseChangesNothing()
    {
        var work = TestData.TempDirectory();
        using var gateway = ServiceProcess.OnFreePort("gateway-behind-web", "Gateway", [], new Dictionary<string, string>
        {
            ["ModelVolume__ModelPath"] = Path.Combine(work, "mnist.pt"),
            ["Gateway__PredictionRequestsPerSecondPerClient"] = "1",
            ["Gateway__PredictionBurstPerClient"] = Burst.ToString(),
            // Services/Web reaches the gateway from 127.0.0.1; the clients below come from other loopback addresses.
            ["Proxies__Trusted__0"] = "127.0.0.1",
        }, work);
        gateway.Start();
        await gateway.WaitReadyAsync();
        using var web = ServiceProcess.OnFreePort("web-before-gateway", "Web", [], new Dictionary<string, string> { ["Web__GatewayUrl"] = gateway.Url!.ToString() }, work);
        web.Start();
        await web.WaitReadyAsync();
        var patience = TimeSpan.FromSeconds(30);
        using var first = LoopbackClients.From("127.0.0.2", web.Url!, patience);
        using var second = LoopbackClients.From("127.0.0.3", web.Url!, patience);
        using var forger = LoopbackClients.From("127.0.0.4", gateway.Url!, patience);

        var firstUntilRefused = await UntilRefusedAsync(first, Burst * 3);
        var secondsShare = await StatusesAsync(second, Burst);
        // Each request as if from a new client: believed, no share would ever run out.
        var forged = new List<HttpStatusCode>();
        for (var i = 0; i < Burst * 3; i++) forged.Add(await PredictAsync(forger, $"198.51.100.{i + 1}"));

        Assert.Contains(HttpStatusCode.TooManyRequests, firstUntilRefused);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, secondsShare);
        Assert.Contains(HttpStatusCode.TooManyRequests, forged);
    }

    [Theory]
    [InlineData("10.0.0.7/8")]
    [InlineData("web")]
    [InlineData("10.244.0.0/33")]
    public void ATrustedProxyThatIsNoAddressOrNetworkStopsTheStart(string entry)
    {
        using var factory = new GatewayOnlyFactory().WithWebHostBuilder(b => b.UseSetting("Proxies:Trusted:0", entry));

        var refused = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(refused.Failures, f => f.Contains($"'{entry}' is neither an IP address nor a network in CIDR form", StringComparison.Ordinal));
    }

    private static async Task<List<HttpStatusCode>> UntilRefusedAsync(HttpClient client, int most)
    {
        var statuses = new List<HttpStatusCode>();
        while (statuses.Count < most && !statuses.Contains(HttpStatusCode.TooManyRequests)) statuses.Add(await PredictAsync(client));
        return statuses;
    }

    private static async Task<List<HttpStatusCode>> StatusesAsync(HttpClient client, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++) statuses.Add(await PredictAsync(client));
        return statuses;
    }

    // Not an image: within its share a client is told so (400); past it, 429.
    private static async Task<HttpStatusCode> PredictAsync(HttpClient client, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/prediction") { Content = Uploads.Form("not an image"u8.ToArray(), contentType: "text/plain") };
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
