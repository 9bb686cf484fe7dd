using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MnistEvents.Contracts;
using MnistEvents.Model.Networks;
using MnistEvents.Model.Store;
using MnistEvents.TestSupport;

namespace MnistEvents.RabbitMqTests;

/// <summary>What only a real broker can show: competing replicas, fan-out reloads, crashes that lose nothing.</summary>
public class TopologyTests(Topology topology) : IClassFixture<Topology>
{
    [Fact]
    public async Task AllThreeReplicasAnswerFromTheOneCompetingQueue()
    {
        var results = await LoadAsync(total: 90, concurrency: 30);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(["predictor-0", "predictor-1", "predictor-2"], results.Select(r => r.Replica).Distinct().Order());
    }

    [Fact]
    public async Task ModelSavedReachesEveryReplicaAndAllSwitchWhileRequestsFlowWithNoFailures()
    {
        // Written where the trainer writes it: the replicas' own model file on the shared volume.
        ModelManifest next;
        using (var network = NetworkFactory.Create(Architecture.Mlp)) next = ModelStore.Save(network, topology.ModelPath, Architecture.Mlp, null, 0);

        using var stop = new CancellationTokenSource();
        var load = LoadUntilAsync(stop.Token, concurrency: 6);
        await Task.Delay(500);
        var bus = await topology.StartBusAsync();
        try
        {
            await bus.Publish(new ModelSaved(next.Version, next.Sha256, next.Architecture, null, 0, next.TrainedAt, null));
            await Poll.Until(async () => AllServe(await topology.ModelsAsync(), next.Version), $"every replica serving {next.Version}");
            await Task.Delay(500);
        }
        finally
        {
            await stop.CancelAsync();
            await bus.StopAsync();
        }

        var results = await load;
        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Contains(results, r => r.Version == next.Version);
    }

    [Fact]
    public async Task ReplicaKilledUnderLoadLosesNoAcceptedRequest()
    {
        var victim = topology.Predictors[1];
        var completed = 0;
        var results = await LoadAsync(total: 240, concurrency: 12, onCompleted: () =>
        {
            if (Interlocked.Increment(ref completed) == 60) victim.Kill();
        });

        try
        {
            Assert.False(victim.Running);
            Assert.Equal(240, results.Count);
            Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
            Assert.Contains(results.Skip(120), r => r.Replica != victim.Name);
        }
        finally
        {
            victim.Start();
            await topology.WaitReadyAsync(victim);
        }
    }

    [Fact]
    public async Task RetrainRequestRoundTripsToANewModelVersionOnEveryReplica()
    {
        var before = (await topology.ModelsAsync()).GetProperty("current").GetProperty("version").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/retrain")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Topology.RetrainToken) },
            Content = JsonContent.Create(new { epochs = 1, limit = 2000 }), // a small real subset: real training, quick
        };

        var response = await topology.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        string? after = null;
        await Poll.Until(async () =>
        {
            var view = await topology.ModelsAsync();
            after = view.GetProperty("current").GetProperty("version").GetString();
            return after != before && AllServe(view, after!);
        }, "a retrained model on every replica", TimeSpan.FromSeconds(180), topology.Trainer);
        var manifest = ModelStore.ReadManifest(topology.ModelPath);
        Assert.Equal(after, manifest!.Version);
        Assert.Equal(2000, manifest.TrainingExamples);
    }

    public static TheoryData<string, HttpStatusCode> BadInputs => new()
    {
        { "missing-field", HttpStatusCode.BadRequest },
        { "not-an-image", HttpStatusCode.BadRequest },
        { "empty", HttpStatusCode.BadRequest },
        { "unsupported-type", HttpStatusCode.UnsupportedMediaType },
        { "too-large", HttpStatusCode.RequestEntityTooLarge },
        { "too-many-pixels", HttpStatusCode.UnprocessableEntity },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task EveryBadInputKindIsAnswered4xxByTheRealGateway(string kind, HttpStatusCode status)
    {
        HttpContent content = kind switch
        {
            "missing-field" => Uploads.Form(Uploads.DigitPng(0), field: "image"),
            "not-an-image" => Uploads.Form("not a picture"u8.ToArray(), contentType: "text/plain"),
            "empty" => Uploads.Form([]),
            "unsupported-type" => new StringContent("7", System.Text.Encoding.UTF8, "text/plain"),
            "too-large" => Uploads.Form(new byte[11 * 1024 * 1024]),
            "too-many-pixels" => Uploads.Form(ImageBombs.PngPixels(20_000, 20_000)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        // As curl does for large bodies: the gateway refuses an oversized upload from its Content-Length, before it is sent.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/prediction") { Content = content, Headers = { ExpectContinue = true } };
        var response = await topology.Http.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static bool AllServe(JsonElement view, string version)
    {
        var replicas = view.GetProperty("replicas").EnumerateArray().ToList();
        return replicas.Count == 3 && replicas.All(r => r.GetProperty("modelVersion").GetString() == version);
    }

    private async Task<List<Result>> LoadAsync(int total, int concurrency, Action? onCompleted = null)
    {
        var results = new ConcurrentBag<Result>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < total)
            {
                results.Add(await PredictAsync(next % 100));
                onCompleted?.Invoke();
            }
        }));
        return [.. results];
    }

    private async Task<List<Result>> LoadUntilAsync(CancellationToken stop, int concurrency)
    {
        var results = new ConcurrentBag<Result>();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            for (var i = worker; !stop.IsCancellationRequested; i += concurrency) results.Add(await PredictAsync(i % 100));
        }));
        return [.. results];
    }

    private async Task<Result> PredictAsync(int index)
    {
        using var response = await topology.Http.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(index)));
        if (response.StatusCode != HttpStatusCode.OK) return new Result(response.StatusCode, null, null);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Result(response.StatusCode, json.GetProperty("replica").GetString(), json.GetProperty("modelVersion").GetString());
    }

    private sealed record Result(HttpStatusCode Status, string? Replica, string? Version);
}
