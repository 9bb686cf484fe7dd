using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MnistEvents.Contracts;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.ServiceDefaults.Retraining;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>POST /predictions answers 202 at once; each result is pushed over SignalR to the submitting connection only.</summary>
public class AsyncPredictionTests(AllInOneFactory factory) : IClassFixture<AllInOneFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ResultsArePushedToTheSubscribedConnectionOnlyAndCanBeFetchedById()
    {
        await using var submitter = await ConnectAsync();
        await using var bystander = await ConnectAsync();
        var pushed = new TaskCompletionSource<JsonElement>();
        var overheard = new List<Guid>();
        var bystanderGotItsOwn = new TaskCompletionSource();
        submitter.On<JsonElement>("predicted", p => pushed.TrySetResult(p));
        bystander.On<JsonElement>("predicted", p =>
        {
            lock (overheard) overheard.Add(p.GetProperty("id").GetGuid());
            bystanderGotItsOwn.TrySetResult();
        });

        var form = Uploads.Form(Uploads.DigitPng(0));
        form.Add(new ByteArrayContent("not an image"u8.ToArray()), "file", "notes.txt");
        form.Add(new StringContent(await submitter.InvokeAsync<string>("subscribe")), "subscription");
        var response = await client.PostAsync("/predictions", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.GetProperty("pushed").GetBoolean());
        var items = answer.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["pending", "rejected"], items.Select(i => i.GetProperty("status").GetString()));
        Assert.Contains("not an image", items[1].GetProperty("detail").GetString());
        var id = items[0].GetProperty("id").GetGuid();
        Assert.Equal(4, id.Version); // random, not sequential: the id is the capability to read the result

        var result = await pushed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(id, result.GetProperty("id").GetGuid());
        Assert.Equal(TestData.Test.Labels[0], result.GetProperty("result").GetProperty("class_name").GetInt32());

        var fetched = await client.GetFromJsonAsync<JsonElement>($"/predictions/{id}");
        Assert.Equal("done", fetched.GetProperty("status").GetString());
        Assert.Equal(TestData.Test.Labels[0], fetched.GetProperty("result").GetProperty("digit").GetInt32());
        Assert.Equal($"/models/{fetched.GetProperty("result").GetProperty("modelVersion").GetString()}/lineage", fetched.GetProperty("lineage").GetString());

        // The bystander's own result comes after the submitter's was pushed; a push of that one to it would have come first.
        var own = Uploads.Form(Uploads.DigitPng(1));
        own.Add(new StringContent(await bystander.InvokeAsync<string>("subscribe")), "subscription");
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/predictions", own)).StatusCode);
        await bystanderGotItsOwn.Task.WaitAsync(TimeSpan.FromSeconds(20));
        lock (overheard) Assert.DoesNotContain(id, overheard);
    }

    [Fact]
    public async Task AnAsyncResultCarriesItsUploadsWarningsWhenFetched()
    {
        var form = Uploads.Form(Photos.Digit(0, 1600, 1200, 60, Photos.Black, left: 300, top: 200), contentType: "image/jpeg");
        var answer = await (await client.PostAsync("/predictions", form)).Content.ReadFromJsonAsync<JsonElement>();
        var id = answer.GetProperty("items")[0].GetProperty("id").GetGuid();

        var done = default(JsonElement);
        await Poll.Until(async () => (done = await client.GetFromJsonAsync<JsonElement>($"/predictions/{id}")).GetProperty("status").GetString() == "done",
            "the async result", TimeSpan.FromSeconds(20));

        var warning = Assert.Single(done.GetProperty("result").GetProperty("warnings").EnumerateArray());
        Assert.StartsWith("The digit fills only a small part of the picture", warning.GetString());
    }

    [Fact]
    public async Task ASubmissionsDigitsReachThePredictorTogetherInOneBatch()
    {
        using var batches = new BatchSizes();
        // Eleven: a size no other suite's batches have, since the meter listener hears every predictor in this process.
        var form = new MultipartFormDataContent();
        for (var i = 0; i < 11; i++)
        {
            var file = new ByteArrayContent(Uploads.DigitPng(i));
            file.Headers.ContentType = new("image/png");
            form.Add(file, "file", $"digit{i}.png");
        }

        var response = await client.PostAsync("/predictions", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ids = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
        foreach (var id in ids)
            await Poll.Until(async () => (await client.GetFromJsonAsync<JsonElement>($"/predictions/{id}")).GetProperty("status").GetString() == "done",
                $"prediction {id} done", TimeSpan.FromSeconds(30));
        Assert.Contains(11, batches.Sizes);
    }

    [Fact]
    public async Task ResultIsKeptOnTheVolumeSoAnotherGatewayInstanceAnswersForIt()
    {
        var done = await AsyncPredictions.PredictAsync(client, Uploads.DigitPng(0));
        var id = done.GetProperty("id").GetGuid();

        // Another instance on the same settings and volume, with nothing in its memory: a restarted gateway, or a second replica.
        using var other = factory.WithWebHostBuilder(_ => { });
        var fetched = await other.CreateClient().GetFromJsonAsync<JsonElement>($"/predictions/{id}");

        Assert.Equal("done", fetched.GetProperty("status").GetString());
        Assert.Equal(done.GetProperty("result").GetProperty("digit").GetInt32(), fetched.GetProperty("result").GetProperty("digit").GetInt32());
        Assert.Equal(done.GetProperty("result").GetProperty("modelInput").GetString(), fetched.GetProperty("result").GetProperty("modelInput").GetString());
    }

    [Fact]
    public async Task NamingAnotherClientsConnectionIdPushesNothingToIt()
    {
        await using var victim = await ConnectAsync();
        var form = Uploads.Form(Uploads.DigitPng(2));
        form.Add(new StringContent(victim.ConnectionId!), "subscription");

        var answer = await (await client.PostAsync("/predictions", form)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.False(answer.GetProperty("pushed").GetBoolean());
    }

    [Fact]
    public async Task SubmissionWhoseEveryFileIsRefusedIsA4xxProblemWithEachFilesReason()
    {
        var form = Uploads.Form("plain text"u8.ToArray(), contentType: "text/plain");
        form.Add(new ByteArrayContent(ImageBombs.PngPixels(20_000, 20_000)), "file", "bomb.png");

        var response = await client.PostAsync("/predictions", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["rejected", "rejected"], items.Select(i => i.GetProperty("status").GetString()));
        Assert.Contains("not an image", items[0].GetProperty("detail").GetString());
        Assert.Contains("20000×20000", items[1].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TheReplicaViewIsPushedToEveryClient()
    {
        await using var first = await ConnectAsync();
        await using var second = await ConnectAsync();
        var views = new[] { new TaskCompletionSource<JsonElement>(), new TaskCompletionSource<JsonElement>() };
        first.On<JsonElement>("models", v => { if (v.GetProperty("replicas").GetArrayLength() > 0) views[0].TrySetResult(v); });
        second.On<JsonElement>("models", v => { if (v.GetProperty("replicas").GetArrayLength() > 0) views[1].TrySetResult(v); });

        var pushed = await Task.WhenAll(views.Select(v => v.Task)).WaitAsync(TimeSpan.FromSeconds(20));

        var version = pushed[0].GetProperty("current").GetProperty("version").GetString();
        Assert.Equal(version, pushed[0].GetProperty("replicas")[0].GetProperty("modelVersion").GetString());
        Assert.Equal(version, pushed[1].GetProperty("current").GetProperty("version").GetString());
        Assert.True(pushed[0].GetProperty("current").TryGetProperty("trainedAt", out _));
    }

    [Fact]
    public async Task UnknownIdIsA404Problem()
    {
        var response = await client.GetAsync($"/predictions/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TrainingProgressIsPushedToEveryClient()
    {
        await using var first = await ConnectAsync();
        await using var second = await ConnectAsync();
        var progressed = new[] { new TaskCompletionSource(), new TaskCompletionSource() };
        var completed = new TaskCompletionSource<JsonElement>();
        first.On<JsonElement>("trainingProgressed", _ => progressed[0].TrySetResult());
        second.On<JsonElement>("trainingProgressed", _ => progressed[1].TrySetResult());
        first.On<JsonElement>("trainingCompleted", c => completed.TrySetResult(c));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/retrain")
        {
            Headers = { Authorization = new("Bearer", AllInOneFactory.AdminToken) },
            Content = JsonContent.Create(new { epochs = 1, limit = 3000 }), // a small real subset
        };
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(request)).StatusCode);

        await Task.WhenAll(progressed.Select(p => p.Task)).WaitAsync(TimeSpan.FromSeconds(60));
        var done = await completed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.InRange(done.GetProperty("testAccuracy").GetDouble(), 0.5, 1.0);
    }

    [Fact]
    public async Task ARetrainRequestTheTrainerRefusesIsPushedWithItsReason()
    {
        await using var ui = await ConnectAsync();
        var rejected = new TaskCompletionSource<JsonElement>();
        ui.On<JsonElement>("retrainRejected", r => rejected.TrySetResult(r));

        // The gateway refuses such a request itself (a 400); sent on the bus past it, the trainer applies the same rule.
        var id = NewId.NextGuid();
        var endpoint = await factory.Services.GetRequiredService<IBus>().GetSendEndpoint(QueueNames.Address(QueueNames.RequestRetrain));
        await endpoint.Send(new RequestRetrain(id, 500, null, null, null, "a test", DateTimeOffset.UtcNow));

        var refusal = await rejected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(id, refusal.GetProperty("trainingId").GetGuid());
        Assert.Equal($"epochs must be between 1 and {RetrainRules.MaximumEpochs}", refusal.GetProperty("reason").GetString());
    }

    private async Task<HubConnection> ConnectAsync()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, "hubs/predictions"), o =>
            {
                o.Transports = HttpTransportType.LongPolling; // the in-memory test server has no WebSockets
                o.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
