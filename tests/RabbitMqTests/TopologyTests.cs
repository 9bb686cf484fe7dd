using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Model.Networks;
using MnistEvents.Model.Store;
using MnistEvents.Registry;
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
    public async Task ActivatingAKeptVersionSwitchesEveryReplicaUnderLoadARestartedOneServesItAndRollingBackLosesNothing()
    {
        var registry = new ModelRegistry(topology.ModelPath);
        ModelStore.AdoptUnversioned(registry);
        var original = registry.ActiveVersion!;
        ModelManifest other;
        using (var network = NetworkFactory.Create(Architecture.Mlp)) other = ModelStore.SaveVersion(registry, network, Architecture.Mlp, null, 0).Manifest;

        using var stop = new CancellationTokenSource();
        var answered = 0;
        var load = LoadUntilAsync(stop.Token, concurrency: 6, onCompleted: () => Interlocked.Increment(ref answered));
        try
        {
            await ActivateAsync(other.Version);
            await Poll.Until(async () => AllServe(await topology.ModelsAsync(), other.Version), $"every replica serving {other.Version}");

            // A replica that starts now serves what the pointer names, not what it served before.
            var restarted = topology.Predictors[2];
            restarted.Kill();
            restarted.Start();
            await topology.WaitReadyAsync(restarted);
            await Poll.Until(async () => AllServe(await topology.ModelsAsync(), other.Version), $"the restarted replica serving {other.Version}");

            await ActivateAsync(original);
            await Poll.Until(async () => AllServe(await topology.ModelsAsync(), original), $"every replica back on {original}");
            var after = Volatile.Read(ref answered);
            await Poll.Until(() => Task.FromResult(Volatile.Read(ref answered) >= after + 50), "answers after the rollback");
        }
        finally
        {
            await stop.CancelAsync();
        }

        var results = await load;
        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Contains(results, r => r.Version == other.Version);
        Assert.Equal(original, (await PredictAsync(0)).Version);
        Assert.Equal([original, other.Version, original], registry.History().TakeLast(3).Select(a => a.Version));
    }

    [Fact]
    public async Task TwoGatewaysShowTheControllersOneDriftAndPolicyAndThePolicyFiresOncePerCause()
    {
        // The policy on, its corrections rule holding once six trusted corrections from three clients are kept.
        await topology.ReplaceControllerAsync(new()
        {
            ["RetrainPolicy__Enabled"] = "true",
            ["RetrainPolicy__CheckSeconds"] = "0.5",
            ["RetrainPolicy__TrustedCorrections"] = "6",
            ["RetrainPolicy__CountedPerClient"] = "2",
            ["RetrainPolicy__DriftAbove"] = "0",
            ["RetrainPolicy__IntervalMinutes"] = "0",
            ["RetrainPolicy__Epochs"] = "1",
            ["RetrainPolicy__Limit"] = "500",
            ["Drift__SampleSeconds"] = "1",
        });
        using var second = topology.GatewayService("gateway-2");
        second.Start();
        await second.WaitReadyAsync();
        using var secondHttp = new HttpClient { BaseAddress = second.Url };
        try
        {
            var cause = $"corrections-since-{new ModelRegistry(topology.ModelPath).Versions().FirstOrDefault()?.Version ?? "start"}";
            using (var log = new CorrectionsLog(new ModelVolume(topology.ModelPath), 100_000))
                for (var i = 0; i < 6; i++)
                    await log.AddAsync(new CorrectionRecord(Guid.NewGuid(), TestData.Test.Labels[i], (TestData.Test.Labels[i] + 1) % 10, "a version",
                        TestData.Test.Image(i).ToArray(), DateTimeOffset.UtcNow, $"10.0.0.{i / 2 + 1}", 0.6), CancellationToken.None);

            // Fired, then held back check after check (a training runs, then the cause already fired): both gateways say so alike.
            JsonElement first = default, other = default;
            await Poll.Until(async () =>
            {
                (first, other) = (await PolicyAsync(topology.Http), await PolicyAsync(secondHttp));
                return Fired(first) == cause && Fired(other) == cause && HeldBack(first, cause) && HeldBack(other, cause);
            }, "the policy firing for the corrections, then holding that cause back, as both gateways show it", TimeSpan.FromSeconds(60), topology.Controller);
            Assert.Equal(first.GetProperty("lastFiring").GetRawText(), other.GetProperty("lastFiring").GetRawText());
            var fired = first.GetProperty("lastFiring").GetProperty("trainingId").GetGuid();
            await Poll.Until(async () => (await topology.Http.GetFromJsonAsync<JsonElement>("/models/drift")).GetRawText()
                == (await secondHttp.GetFromJsonAsync<JsonElement>("/models/drift")).GetRawText(), "the same drift on both gateways");

            // One training for the cause, kept with it (the state machine takes the policy's request a moment after it is
            // sent); no file on the volume but the trainings' own says what fired.
            await Poll.Until(() => Task.FromResult(TrainingsFor(cause).Count > 0), "the policy's training recorded");
            Assert.Equal(fired, Assert.Single(TrainingsFor(cause)).GetProperty("correlationId").GetGuid());
            Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(topology.ModelPath)!, "retrain-policy")));
            // Its training ends before the next test's: the trainer trains one at a time.
            await Poll.Until(() => Task.FromResult(Ended(fired)), "the policy's training settled", TimeSpan.FromSeconds(180), topology.Trainer);
        }
        finally
        {
            await topology.ReplaceControllerAsync();
        }
    }

    private static async Task<JsonElement> PolicyAsync(HttpClient http) => (await http.GetFromJsonAsync<JsonElement>("/models")).GetProperty("retrainPolicy");

    private static string? Fired(JsonElement policy) =>
        policy.ValueKind == JsonValueKind.Object && policy.GetProperty("lastFiring") is { ValueKind: JsonValueKind.Object } last ? last.GetProperty("cause").GetString() : null;

    private static bool HeldBack(JsonElement policy, string cause) =>
        policy.GetProperty("recent").EnumerateArray().Any(d => d.GetProperty("cause").GetString() == cause && d.GetProperty("outcome").GetString() == "suppressed");

    private List<JsonElement> TrainingsFor(string cause) =>
        [.. Directory.GetFiles(new ModelVolume(topology.ModelPath).RetrainsDirectory, "*.json")
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).Where(t => t.GetProperty("cause").GetString() == cause)];

    private bool Ended(Guid trainingId)
    {
        var path = Path.Combine(new ModelVolume(topology.ModelPath).RetrainsDirectory, $"{trainingId:N}.json");
        try
        {
            return File.Exists(path) && JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("outcome").ValueKind == JsonValueKind.String;
        }
        catch (IOException)
        {
            return false;
        }
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
    public async Task ACandidateTrainedOn500ImagesIsRefusedAndEveryReplicaKeepsServingUntilItIsPromotedRegardless()
    {
        var before = await SeedServedAsync();
        var decisions = new ConcurrentDictionary<Guid, PromotionDecided>();
        var settledDecisions = new ConcurrentDictionary<string, PromotionDecided>(); // the controller's, after shadowing
        var bus = await topology.StartBusAsync();
        var handle = bus.ConnectReceiveEndpoint(e => e.Handler<PromotionDecided>(c =>
        {
            // A training's first verdict is the gate's; one that settles a wait on shadowing says what the shadowing showed.
            if (c.Message.TrainingId is { } id) decisions.TryAdd(id, c.Message);
            if (c.Message is { Pending: false, ShadowCompared: not null }) settledDecisions[c.Message.Candidate] = c.Message;
            return Task.CompletedTask;
        }));
        await handle.Ready;
        try
        {
            // 500 real images, one epoch: a model clearly worse than the seed's 96.2%, and quick to train.
            var refusedId = await RetrainAsync(new { epochs = 1, limit = 500 });
            await Poll.Until(() => Task.FromResult(decisions.ContainsKey(refusedId)), "the gate's decision", TimeSpan.FromSeconds(120), topology.Trainer);
            var refused = decisions[refusedId];
            Assert.False(refused.Promoted);
            Assert.True(refused.CandidateMnist < refused.ActiveMnist);
            Assert.True(AllServe(await topology.ModelsAsync(), before));
            var listed = (await topology.ModelsAsync()).GetProperty("versions").EnumerateArray()
                .Single(v => v.GetProperty("version").GetString() == refused.Candidate);
            Assert.False(listed.GetProperty("promotion").GetProperty("promoted").GetBoolean());

            // Promoted regardless, but shadowed first on 60 live digits: every replica keeps serving the seed's model until
            // the controller, summing the three replicas' reports, promotes it.
            var forcedId = await RetrainAsync(new { epochs = 1, limit = 500, promoteRegardless = true, shadowPredictions = 60 });
            await Poll.Until(() => Task.FromResult(decisions.ContainsKey(forcedId)), "the gate's decision", TimeSpan.FromSeconds(120), topology.Trainer);
            var waiting = decisions[forcedId];
            Assert.True(waiting is { Promoted: false, Pending: true, Forced: true, ShadowPredictions: 60 });
            Assert.True(AllServe(await topology.ModelsAsync(), before));
            using (var stop = new CancellationTokenSource())
            {
                var load = LoadUntilAsync(stop.Token, concurrency: 6);
                try
                {
                    await Poll.Until(() => Task.FromResult(settledDecisions.ContainsKey(waiting.Candidate)), $"{waiting.Candidate} promoted after shadowing",
                        TimeSpan.FromSeconds(90), topology.Gateway);
                }
                finally
                {
                    await stop.CancelAsync();
                }
                Assert.All(await load, r => Assert.True(r.Status == HttpStatusCode.OK && (r.Version == before || r.Version == waiting.Candidate)));
            }
            var forced = settledDecisions[waiting.Candidate];
            Assert.True(forced is { Promoted: true, Pending: false, Forced: true, ShadowCompared: >= 60 });
            await Poll.Until(async () => AllServe(await topology.ModelsAsync(), forced.Candidate), $"every replica serving {forced.Candidate}");
            var manifest = ModelStore.ReadManifest(topology.ModelPath)!;
            Assert.Equal((forced.Candidate, 500), (manifest.Version, manifest.TrainingExamples));

            // Back to what served before, for the other tests.
            await ActivateAsync(before);
            await Poll.Until(async () => AllServe(await topology.ModelsAsync(), before), $"every replica back on {before}");
        }
        finally
        {
            await handle.StopAsync();
            await bus.StopAsync();
        }
    }

    /// <summary>The seed's model, served everywhere (another test may have left something else active); its version.</summary>
    private async Task<string> SeedServedAsync()
    {
        var registry = new ModelRegistry(topology.ModelPath);
        if (registry.History() is [var adopted, ..] && registry.ActiveVersion != adopted.Version)
        {
            await ActivateAsync(adopted.Version);
            await Poll.Until(async () => AllServe(await topology.ModelsAsync(), adopted.Version), $"every replica back on {adopted.Version}");
        }
        return (await topology.ModelsAsync()).GetProperty("current").GetProperty("version").GetString()!;
    }

    private async Task<Guid> RetrainAsync(object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/retrain")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", topology.AdminToken) },
            Content = JsonContent.Create(body),
        };
        var response = await topology.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trainingId").GetGuid();
    }

    private async Task ActivateAsync(string version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/models/{version}/activate")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", topology.AdminToken) },
        };
        var response = await topology.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task OpenInferenceProtocolRequestsOfThirtyTwoDigitsOverRestAndGrpcAreAnsweredByTheReplicasAndANamedKeptVersionByItsOwnNetwork()
    {
        var registry = new ModelRegistry(topology.ModelPath);
        ModelManifest kept;
        using (var network = NetworkFactory.Create(Architecture.Mlp)) kept = ModelStore.SaveVersion(registry, network, Architecture.Mlp, null, 0).Manifest;
        var pixels = TestData.Test.Images.AsSpan(0, 32 * 784).ToArray();
        var body = $"{{\"id\": \"r1\", \"inputs\": [{{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [32,784], \"data\": [{string.Join(",", pixels)}]}}]}}";

        foreach (var path in new[] { "/v2/models/mnist/infer", $"/v2/models/mnist/versions/{kept.Version}/infer" })
        {
            var response = await topology.Http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("r1", answer.GetProperty("id").GetString());
            Assert.StartsWith("predictor-", answer.GetProperty("parameters").GetProperty("replica").GetString());
            var version = answer.GetProperty("model_version").GetString()!;
            if (path.Contains("/versions/")) Assert.Equal(kept.Version, version);
            var file = registry.Find(version) is null ? topology.ModelPath : registry.VersionModelPath(version);
            using var own = new MnistEvents.Model.Inference.DigitClassifier(ModelStore.Load(file).Network);
            var probabilities = answer.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "probabilities")
                .GetProperty("data").EnumerateArray().Select(p => p.GetSingle());
            Assert.Equal(own.Probabilities(pixels, 32).SelectMany(p => p), probabilities, (a, b) => Math.Abs(a - b) < 1e-5f);
        }

        // The same digits over gRPC, on the gateway's own gRPC port, through a client generated from the protocol's .proto.
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(topology.Gateway.GrpcUrl!);
        var grpc = new Inference.GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var infer = await grpc.ModelInferAsync(new Inference.ModelInferRequest
        {
            ModelName = "mnist", ModelVersion = kept.Version, RawInputContents = { Google.Protobuf.ByteString.CopyFrom(pixels) },
            Inputs = { new Inference.ModelInferRequest.Types.InferInputTensor { Name = "pixels", Datatype = "UINT8", Shape = { 32, 1, 28, 28 } } },
        });
        Assert.Equal(kept.Version, infer.ModelVersion);
        using var keptNetwork = new MnistEvents.Model.Inference.DigitClassifier(ModelStore.Load(registry.VersionModelPath(kept.Version)).Network);
        var raw = infer.RawOutputContents[0].ToByteArray();
        Assert.Equal(keptNetwork.Probabilities(pixels, 32).SelectMany(p => p), Enumerable.Range(0, raw.Length / 4).Select(i => BitConverter.ToSingle(raw, i * 4)),
            (a, b) => Math.Abs(a - b) < 1e-5f);
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

    private async Task<List<Result>> LoadUntilAsync(CancellationToken stop, int concurrency, Action? onCompleted = null)
    {
        var results = new ConcurrentBag<Result>();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            for (var i = worker; !stop.IsCancellationRequested; i += concurrency)
            {
                results.Add(await PredictAsync(i % 100));
                onCompleted?.Invoke();
            }
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
