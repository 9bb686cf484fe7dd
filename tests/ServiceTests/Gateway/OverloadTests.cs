using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// The gateway alone (no predictor answers) with small limits: more than it can take is refused at once with a 503 or
/// 429 that says why and when to come back, and nothing waits past its deadline.
/// </summary>
public class OverloadTests(GatewayOnlyFactory factory, ITestOutputHelper output) : IClassFixture<GatewayOnlyFactory>
{
    private HttpClient Client(params (string Key, string Value)[] settings) => factory.WithWebHostBuilder(b =>
    {
        foreach (var (key, value) in settings) b.UseSetting(key, value);
    }).CreateClient();

    [Fact]
    public async Task PredictionsBeyondTheBoundedQueueAreRefusedAtOnceAndTheRestEndAtTheirDeadline()
    {
        // One batch of one in flight, one waiting: of 12 at once at least 10 are turned away without waiting.
        var client = Client(("Gateway:CoalescerMaxInFlight", "1"), ("Gateway:CoalescerMaxBatch", "1"), ("Gateway:MaxQueuedPredictions", "1"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(i)))));

        var problems = await Problems(responses);
        var busy = problems.Count(p => p.Title == "Gateway busy");
        output.WriteLine($"sent 12: {busy} refused as busy, {problems.Count(p => p.Title == "No predictor available")} timed out, 0 lost");
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.All(problems, p => Assert.Contains(p.Title, new[] { "Gateway busy", "No predictor available" }));
        Assert.InRange(busy, 10, 12);
        Assert.All(responses.Zip(problems).Where(x => x.Second.Title == "Gateway busy"), x =>
        {
            Assert.Equal(TimeSpan.FromSeconds(1), x.First.Headers.RetryAfter?.Delta);
            Assert.Contains("1 predictions are already waiting", x.Second.Detail);
        });
    }

    [Fact]
    public async Task ClientOverItsPredictionRateGets429WithRetryAfter()
    {
        var client = Client(("Gateway:PredictionRequestsPerSecondPerClient", "1"), ("Gateway:PredictionBurstPerClient", "2"));

        // Bodies the endpoint refuses at once (400, not an image): the limit is counted before any work is done.
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++) responses.Add(await client.PostAsync("/prediction", Uploads.Form("not an image"u8.ToArray())));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(limited.Count, 1, 4);
        Assert.All(responses.Except(limited), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        var problem = (await Problems(limited))[0];
        Assert.Equal("Too many requests", problem.Title);
        Assert.Contains("POST /prediction", problem.Detail);
        Assert.True(limited[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task RetrainRequestsBeyondTheMinutesAllowanceGet429()
    {
        var client = Client(("Gateway:AdminRequestsPerMinutePerClient", "2"));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add((await client.PostAsync("/retrain", null)).StatusCode);

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task UploadsBeyondTheDecodeSlotsAreRefusedWith503NotQueuedWithoutEnd()
    {
        // One decode at a time and nobody waiting: twelve 24-megapixel photos at once cannot all be decoded together (six
        // were once all decoded one after another on a busy machine, as their uploads arrived spread out).
        var client = Client(("Gateway:MaxConcurrentDecodes", "1"), ("Gateway:MaxQueuedDecodeMegabytes", "0"));
        using var photo = new Image<Rgb24>(6000, 4000, new Rgb24(240, 240, 240));
        using (var digit = DigitImages.Render(TestData.Test.Image(0), scale: 40, darkOnLight: true))
            photo.Mutate(c => c.DrawImage(digit, new Point(1000, 1000), 1f));
        var png = DigitImages.Encode(photo, new PngEncoder());

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.PostAsync("/prediction", Uploads.Form(png))));

        var problems = await Problems(responses);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.Contains(problems, p => p.Title == "Gateway busy" && p.Detail.Contains("waiting to be decoded"));
        Assert.Contains(problems, p => p.Title == "No predictor available");
    }

    [Fact]
    public async Task SubmissionWithMoreFilesThanAllowedIs413SayingTheLimit()
    {
        var client = Client(("Gateway:MaxFilesPerSubmission", "3"));
        var form = new MultipartFormDataContent();
        for (var i = 0; i < 4; i++)
        {
            var file = new ByteArrayContent(Uploads.DigitPng(i));
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "file", $"digit{i}.png");
        }

        var response = await client.PostAsync("/predictions", form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = (await Problems([response]))[0];
        Assert.Equal("Too many files", problem.Title);
        Assert.Contains("at most 3", problem.Detail);
    }

    private static async Task<List<(string Title, string Detail)>> Problems(IEnumerable<HttpResponseMessage> responses)
    {
        var problems = new List<(string, string)>();
        foreach (var response in responses)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var json = await response.Content.ReadFromJsonAsync<JsonElement>();
            problems.Add((json.GetProperty("title").GetString()!, json.GetProperty("detail").GetString()!));
        }
        return problems;
    }
}
