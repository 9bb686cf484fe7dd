using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using MnistEvents.ServiceTests.Support;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>Where the deployment knows its host names (<c>Hosts:Allowed</c>), a request naming another is refused before anything reads its Host header.</summary>
public class AllowedHostsTests
{
    [Fact]
    public async Task ARequestForAnotherHostIsAProblemAndProbesAreAnsweredWhateverTheHost()
    {
        await using var factory = new GatewayOnlyFactory().WithWebHostBuilder(b => b
            .UseSetting("Hosts:Allowed:0", "mnist.example.org")
            .UseSetting("Hosts:Allowed:1", "localhost"));
        using var client = factory.CreateClient();

        using var forged = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json") { Headers = { Host = "evil.example" } });
        using var named = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "MNIST.example.org:30080" } });
        using var probe = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/healthz/live") { Headers = { Host = "10.244.0.17:8080" } });

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Unknown host", JsonDocument.Parse(await forged.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
    }

    [Theory]
    [InlineData("https://mnist.example.org")]
    [InlineData("*.example.org")]
    public async Task AnAllowedHostThatIsNoHostNameStopsTheStart(string host)
    {
        await using var factory = new GatewayOnlyFactory().WithWebHostBuilder(b => b.UseSetting("Hosts:Allowed:0", host));

        var refused = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(refused.Failures, f => f.Contains("is not a host name", StringComparison.Ordinal));
    }
}
