using System.Net;
using System.Net.Http.Headers;
using MnistEvents.ServiceTests.Support;

namespace MnistEvents.ServiceTests.WebUi;

/// <summary>One URL for people and programs: a browser gets the UI at /, curl and API clients keep the seed's JSON.</summary>
public class WebUiTests(AllInOneFactory factory) : IClassFixture<AllInOneFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    public static TheoryData<string?, string> Accepts => new()
    {
        { null, "application/json" },
        { "*/*", "application/json" }, // curl
        { "application/json", "application/json" },
        { "text/html;q=0.5, application/json", "application/json" },
        { "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "text/html" }, // Chromium
        { "text/html", "text/html" },
    };

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task RootAnswersTheUiOnlyToARequestThatPrefersHtml(string? accept, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        if (expected == "text/html") Assert.Contains("<canvas id=\"draw\"", body);
        else Assert.Equal("""{"error":"use POST /prediction instead of root route"}""", body);
    }

    [Fact]
    public async Task ThePageAllowsOnlyItsOwnOriginsScriptsAndConnections()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Accept = { new MediaTypeWithQualityHeaderValue("text/html") } } };

        var response = await client.SendAsync(request);

        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("Accept", response.Headers.Vary.Single());
    }

    [Theory]
    [InlineData("/ui/js/app.js", "text/javascript")]
    [InlineData("/ui/css/app.css", "text/css")]
    [InlineData("/ui/lib/signalr.min.js", "text/javascript")] // copied from npm's @microsoft/signalr by the build
    public async Task TheUisFilesAreServedWithTheirTypes(string path, string type)
    {
        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Content.Headers.ContentLength > 0);
    }

    [Fact]
    public async Task AMissingUiFileIsAProblem()
    {
        var response = await client.GetAsync("/ui/js/nothing.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
