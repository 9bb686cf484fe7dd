using System.Net;
using System.Text;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// What one client's bytes can do to a real, listening gateway: requests Kestrel itself refuses are answered in
/// problem+json like every other error, and one client flooding big photos does not crowd another out.
/// </summary>
public class HostileClientTests(ListeningAllInOne app) : IClassFixture<ListeningAllInOne>
{
    public static TheoryData<string, int, string> Unreadable => new()
    {
        { "request-line-too-long", 414, "longer than the server reads" },
        { "headers-too-large", 431, "headers are larger than the server reads" },
        { "unknown-http-version", 400, "speaks HTTP/1.0, HTTP/1.1 and HTTP/2" },
        { "malformed-header", 400, "could not be read as HTTP/1.1" },
        { "content-length-shorter-than-body", 400, "multipart form could not be read" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task ARequestKestrelCannotReadIsAProblemSayingWhy(string kind, int status, string says)
    {
        var request = kind switch
        {
            "request-line-too-long" => $"GET /{new string('a', 9000)} HTTP/1.1\r\nHost: x\r\n\r\n",
            "headers-too-large" => $"GET / HTTP/1.1\r\nHost: x\r\nX-Filler: {new string('a', 40_000)}\r\n\r\n",
            "unknown-http-version" => "GET / HTTP/3.0\r\nHost: x\r\n\r\n",
            "malformed-header" => "GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
            "content-length-shorter-than-body" => ShortContentLength(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var answer = await app.RawAsync(Encoding.ASCII.GetBytes(request));

        Assert.StartsWith($"HTTP/1.1 {status} ", answer);
        Assert.Contains("Content-Type: application/problem+json", answer);
        Assert.Contains(says, answer);
        Assert.DoesNotContain("HTTP/1.1 5", answer);
    }

    [Fact]
    public async Task AClientFloodingBigPhotosDoesNotCrowdOutAnotherClientsDigit()
    {
        // More photos at once than the whole decode line holds (1 MB), each 3000x2000, from one address.
        var photo = Photos.Digit(0, 3000, 2000, 600, Photos.Black);
        Assert.True(photo.Length * 16 > 1024 * 1024, $"a {photo.Length:N0}-byte photo: sixteen of them would not fill the line");
        using var flooder = app.ClientFrom("127.0.0.66");
        using var victim = app.ClientFrom("127.0.0.9");
        using var stop = new CancellationTokenSource();
        var flood = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var statuses = new List<HttpStatusCode>();
            while (!stop.IsCancellationRequested) statuses.Add((await flooder.PostAsync("/prediction", Uploads.Form(photo))).StatusCode);
            return statuses;
        })).ToList();
        await Poll.Until(async () => flood.Any(f => f.IsCompleted) || await FloodIsOnAsync(), "the flood filled the decode line", TimeSpan.FromSeconds(60));

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++) answers.Add((await victim.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(i)))).StatusCode);
        await stop.CancelAsync();
        var flooded = (await Task.WhenAll(flood)).SelectMany(s => s).ToList();

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        // The flood was refused its excess, in its own name (429), never the gateway's (503).
        Assert.Contains(HttpStatusCode.TooManyRequests, flooded);
        Assert.DoesNotContain(HttpStatusCode.ServiceUnavailable, flooded.Concat(answers));
    }

    // The gateway's own count of answers shows when the flood has overfilled the line: its first 429s.
    private async Task<bool> FloodIsOnAsync()
    {
        using var http = new HttpClient { BaseAddress = app.Url };
        var metrics = await http.GetStringAsync("/metrics");
        return metrics.Split('\n').Any(line => line.StartsWith("http_server_request_duration_seconds_count", StringComparison.Ordinal)
                                               && line.Contains("http_response_status_code=\"429\"", StringComparison.Ordinal));
    }

    // A form whose Content-Length ends inside it: the form is cut short (400), and what follows is read as a request (400).
    private static string ShortContentLength()
    {
        const string body = "--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.png\"\r\nContent-Type: image/png\r\n\r\nxxxx\r\n--abc--\r\n";
        return $"POST /prediction HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=abc\r\nContent-Length: 20\r\n\r\n{body}";
    }
}
