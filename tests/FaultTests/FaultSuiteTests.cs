using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using System.Text.Json;
using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.TestSupport;
using Xunit.Abstractions;

namespace MnistEvents.FaultTests;

/// <summary>
/// Faults injected into the real topology under load. Each test says what it injected and counts every request: sent,
/// answered, refused with a reason, and lost, which must be 0; and what model is served afterwards.
/// </summary>
public class FaultSuiteTests(FaultTopology topology, ITestOutputHelper output) : IClassFixture<FaultTopology>
{
    [Fact]
    public async Task BrokerRestartedUnderLoadLosesNothingAndTheSystemRecoversByItself()
    {
        var load = new Load();
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(topology.Http, concurrency: 6, stop.Token);
        await Poll.Until(() => Task.FromResult(load.Answered >= 50 * Load.Scale), "answers before the fault");

        await topology.Node.StopAsync();
        var answeredBefore = load.Answered;
        await topology.Node.StartAsync();
        await Poll.Until(() => Task.FromResult(load.Answered >= answeredBefore + 50 * Load.Scale), "answers again after the broker came back",
            TimeSpan.FromSeconds(120), topology.DescribeAsync);
        await stop.CancelAsync();
        await running;
        // No service was restarted: every replica reconnected, re-declared its own ModelActivated queue and consumes from it.
        // (Until they report again the gateway lists none: the report below waits for that, not for a clock.)
        await AllThreeReportingAsync();
        await Poll.Until(async () => await ModelActivatedConsumersAsync() == 3, "a consumer on each replica's ModelActivated queue",
            TimeSpan.FromSeconds(60), topology.DescribeAsync);

        await ReportAsync(load, "broker-restart", "rabbitmq-server stopped and started under load");
        Assert.Equal(0, load.Lost);
        Assert.Equal(load.Sent, load.Answered + load.Refused);
        Assert.All(load.Outcomes.Where(o => o.Kind == OutcomeKind.Refused), o => Assert.Equal(503, o.Status));
        Assert.All(topology.Predictors.Append(topology.Gateway), s => Assert.True(s.Running, $"{s.Name} still running"));
    }

    [Fact]
    public async Task ReplicaWithoutAModelTakesNoWorkAndNothingFails()
    {
        using var empty = topology.PredictorService("predictor-no-model", Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        empty.Start();
        await Poll.Until(async () => FaultTopology.Replicas(await topology.ModelsAsync()).ContainsKey(empty.Name), "the model-less replica reporting");

        var load = new Load();
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(topology.Http, concurrency: 6, stop.Token);
        await Poll.Until(() => Task.FromResult(load.Sent >= 150 * Load.Scale), "requests sent");
        await stop.CancelAsync();
        await running;

        await ReportAsync(load, "no-model-replica", "a fourth replica with an empty model volume");
        Assert.Equal(load.Sent, load.Answered);
        Assert.DoesNotContain(load.Outcomes, o => o.Replica == empty.Name);
        Assert.Null(FaultTopology.Replicas(await topology.ModelsAsync())[empty.Name]);
        Assert.True(empty.Running);
    }

    [Fact]
    public async Task HostileModelActivatedIsRefusedByEveryReplicaWhileServingGoesOn()
    {
        // A replica restarted by another scenario is listed again only once it has reported: compare whole lists.
        await AllThreeReportingAsync();
        var serving = FaultTopology.Replicas(await topology.ModelsAsync());
        var bus = await topology.Node.StartBusAsync(topology.VirtualHost);
        var rejections = new ConcurrentDictionary<string, string>();
        var handle = bus.ConnectReceiveEndpoint(e => e.Handler<ModelRejected>(c =>
        {
            if (c.Message.Version == "hostile") rejections[c.Message.Replica] = c.Message.Reason;
            return Task.CompletedTask;
        }));
        await handle.Ready;
        var load = new Load();
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(topology.Http, concurrency: 6, stop.Token);
        try
        {
            // A version and a sha256 that are not what the volume holds: there is no path to point anywhere.
            await bus.Publish(new ModelActivated("hostile", new string('f', 64), "mlp", 0.999, DateTimeOffset.UtcNow, null, "an attacker", DateTimeOffset.UtcNow));
            await Poll.Until(() => Task.FromResult(rejections.Count == 3), "a ModelRejected from each replica",
                TimeSpan.FromSeconds(60), async () => $"rejected by: {string.Join(", ", rejections.Keys)}\n{await topology.DescribeAsync()}");
            await Poll.Until(() => Task.FromResult(load.Answered >= 100 * Load.Scale), "answers while the event is refused", TimeSpan.FromSeconds(60),
                async () => $"answered {load.Answered} of {load.Sent} (refused {load.Refused})\n{await topology.DescribeAsync()}");
        }
        finally
        {
            await stop.CancelAsync();
            await running;
            await handle.StopAsync();
            await bus.StopAsync();
        }

        await ReportAsync(load, "hostile-model-activated", "ModelActivated naming a sha256 the volume does not hold");
        Assert.Equal(load.Sent, load.Answered);
        Assert.All(rejections.Values, reason => Assert.Contains("not the announced", reason));
        await AllThreeReportingAsync();
        Assert.Equal(serving, FaultTopology.Replicas(await topology.ModelsAsync()));
    }

    [Fact]
    public async Task BombUploadsWhileTrafficFlowsAreRefusedAndTheGatewayStaysSmall()
    {
        var digit = Uploads.DigitPng(0);
        byte[][] bombs =
        [
            ImageBombs.PngCompressedText(digit, 1024),
            ImageBombs.PngPixels(20_000, 20_000),
            ImageBombs.GifFrameLargerThanScreen(40_000, 40_000),
            ImageBombs.BmpLyingColourTable(DigitImages.Encode(DigitImages.Render(TestData.Test.Image(0), scale: 2),
                new SixLabors.ImageSharp.Formats.Bmp.BmpEncoder { BitsPerPixel = SixLabors.ImageSharp.Formats.Bmp.BmpBitsPerPixel.Pixel8 })),
            File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hostile-png-interlaced-rows-end-early.bin")),
        ];
        var normal = new Load();
        var hostile = new Load();
        using var stop = new CancellationTokenSource();
        var traffic = normal.RunAsync(topology.Http, concurrency: 4, stop.Token);
        var attack = hostile.RunAsync(topology.Http, concurrency: 4, stop.Token, i => bombs[i % bombs.Length]);
        await Poll.Until(() => Task.FromResult(hostile.Sent >= 40 * Load.Scale && normal.Answered >= 100 * Load.Scale), "bombs and digits sent", TimeSpan.FromSeconds(180),
            async () => $"bombs sent {hostile.Sent}, digits answered {normal.Answered} of {normal.Sent} (refused {normal.Refused})\n{await topology.DescribeAsync()}");
        await stop.CancelAsync();
        await Task.WhenAll(traffic, attack);

        var peakMegabytes = PeakResidentMegabytes(topology.Gateway);
        await ReportAsync(normal, "bombs-normal-traffic", "digits sent beside the bombs");
        await ReportAsync(hostile, "bombs", $"{bombs.Length} kinds of bomb, the gateway's peak RSS {peakMegabytes} MB");
        Assert.Equal(normal.Sent, normal.Answered);
        Assert.Equal(hostile.Sent, hostile.Refused + hostile.Answered);
        Assert.All(hostile.Outcomes.Where(o => o.Kind == OutcomeKind.Refused), o => Assert.InRange(o.Status, 400, 499));
        // Two decodes of at most 192 MB each, beside the runtime: nothing near the gigabytes the bombs ask for.
        Assert.InRange(peakMegabytes, 1, 1024);
    }

    [Fact]
    public async Task OverloadIsShedWith503AndTheGatewayRecovers()
    {
        // A gateway with a tiny line: one batch of one in flight, four waiting.
        using var small = topology.GatewayService("gateway-small-queue", new()
        {
            ["Gateway__MaxQueuedPredictions"] = "4",
            ["Gateway__CoalescerMaxInFlight"] = "1",
            ["Gateway__CoalescerMaxBatch"] = "1",
        });
        small.Start();
        await small.WaitReadyAsync();
        using var http = Load.Client(small);

        var flood = new Load();
        using (var stop = new CancellationTokenSource())
        {
            var running = flood.RunAsync(http, concurrency: 48, stop.Token);
            await Poll.Until(() => Task.FromResult(flood.Sent >= 300 * Load.Scale), "the flood sent");
            await stop.CancelAsync();
            await running;
        }
        var after = await Load.SendAsync(http, Uploads.DigitPng(1));

        await ReportAsync(flood, "overload", "48 concurrent clients against a line of 4");
        Assert.Equal(0, flood.Lost);
        Assert.True(flood.Outcomes.Count(o => o.Reason == "Gateway busy") > 0, "some requests were shed at once");
        Assert.True(flood.Answered > 0, "the rest were answered");
        Assert.Equal(OutcomeKind.Answered, after.Kind);
    }

    [Fact]
    public async Task ANoisyNeighbourFloodingPhotosSyncAndAsyncLeavesAnotherClientAnswered()
    {
        // A gateway of its own with the default decode sharing (the suite's lets its one client use every slot); the
        // neighbour and the victim are two addresses, as two clients are.
        using var gateway = topology.GatewayService("gateway-neighbours", new() { ["Gateway__MaxConcurrentDecodesPerClient"] = "1" });
        gateway.Start();
        await gateway.WaitReadyAsync();
        using var victimHttp = LoopbackClients.From("127.0.0.9", gateway.Url!, Load.Patience);
        using var noisyHttp = LoopbackClients.From("127.0.0.66", gateway.Url!, Load.Patience);
        var requests = 100 * Load.Scale;

        // Warmed up first, as the flood's gateway is by then: a cold gateway's first answers are slow for their own reasons.
        var warmUp = new Load();
        await RunUntilAsync(warmUp, victimHttp, () => warmUp.Sent >= 50, "the victim's warm-up");
        var alone = new Load();
        await RunUntilAsync(alone, victimHttp, () => alone.Sent >= requests, "the victim's requests, alone");

        var photo = Photos.Digit(0, 3000, 2000, 600, Photos.Black);
        var victim = new Load();
        var noisy = new Load();
        int accepted = 0, refusedAsync = 0, slowAsync = 0;
        using (var stop = new CancellationTokenSource())
        {
            var flood = noisy.RunAsync(noisyHttp, concurrency: 16, stop.Token, _ => photo);
            var submissions = Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                while (!stop.IsCancellationRequested)
                {
                    // A submission's photos wait behind the neighbour's own flood: slow, and the neighbour's to wait out.
                    try
                    {
                        using var response = await noisyHttp.PostAsync("/predictions", Submission(photo));
                        Interlocked.Increment(ref response.StatusCode == HttpStatusCode.Accepted ? ref accepted : ref refusedAsync);
                    }
                    catch (TaskCanceledException)
                    {
                        Interlocked.Increment(ref slowAsync);
                    }
                }
            }));
            await Poll.Until(() => Task.FromResult(noisy.Sent >= 32), "the neighbour's flood under way", TimeSpan.FromSeconds(120));
            await RunUntilAsync(victim, victimHttp, () => victim.Sent >= requests, "the victim's requests beside the flood");
            await stop.CancelAsync();
            await Task.WhenAll(flood, submissions);
        }

        foreach (var refusal in noisy.Outcomes.Where(o => o.Kind == OutcomeKind.Refused).Take(3)) output.WriteLine($"the neighbour refused: {refusal}");
        output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"NOISY | {victim.Answered} of {victim.Sent} | {alone.AnsweredMilliseconds(50):0.0} | {alone.AnsweredMilliseconds(99):0.0} | {victim.AnsweredMilliseconds(50):0.0} | {victim.AnsweredMilliseconds(99):0.0} | {noisy.Sent} sync ({noisy.Refused} refused), {accepted + refusedAsync + slowAsync} async ({refusedAsync} refused, {slowAsync} not answered within {Load.Patience.TotalSeconds:0} s)"));
        await ReportAsync(victim, "noisy-neighbour", "another client flooding 3000x2000 photos, sync and async");
        Assert.Equal(victim.Sent, victim.Answered);
        Assert.Equal(0, noisy.Lost);
        Assert.All(noisy.Outcomes.Where(o => o.Kind == OutcomeKind.Refused), o => Assert.Equal(429, o.Status));
    }

    [Fact]
    public async Task EveryStoreFilledByManyClientsLeavesTheGatewayUnderItsKubernetesMemoryLimit()
    {
        // At FAULTS_SCALE 10 the stores are the defaults (100,000 async predictions, 100,000 corrections); below it a
        // tenth for each step down. Clients fill them as many clients would: each to its own share, from its own address.
        const int KubernetesLimitMebibytes = 384; // k8s/base/gateway.yaml
        var asyncCap = Math.Min(100_000, 10_000 * Load.Scale);
        var correctionsCap = asyncCap;
        const int AsyncShare = 5_000, CorrectionsShare = 1_000, PerSubmission = 10;
        // Run as k8s runs it: workstation GC, and the heap limit .NET takes from a 384 MiB container (75% of it).
        using var gateway = topology.GatewayService("gateway-full-stores", new()
        {
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_GCHeapHardLimit"] = $"{KubernetesLimitMebibytes * 1024L * 1024 * 3 / 4:X}",
            ["Gateway__MaxAsyncResults"] = $"{asyncCap}",
            ["Gateway__MaxAsyncResultsPerClient"] = $"{AsyncShare}",
            ["ModelVolume__MaxCorrections"] = $"{correctionsCap}",
            ["Corrections__MaxPerClient"] = $"{CorrectionsShare}",
        });
        gateway.Start();
        await gateway.WaitReadyAsync();
        var digits = Enumerable.Range(0, PerSubmission).Select(Uploads.DigitPng).ToArray();

        var submitters = Enumerable.Range(0, asyncCap / AsyncShare).Select(i => LoopbackClients.From($"127.0.1.{i + 1}", gateway.Url!, Load.Patience)).ToList();
        var ids = new ConcurrentBag<Guid>();
        var refusals = new ConcurrentDictionary<int, int>();
        await Task.WhenAll(submitters.Select(async http =>
        {
            while (true)
            {
                using var response = await http.PostAsync("/predictions", Uploads.Files(digits));
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    refusals.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                    break;
                }
                foreach (var item in JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray())
                    ids.Add(item.GetProperty("id").GetGuid());
            }
        }));
        var afterAsync = PeakResidentMegabytes(gateway);
        using var latecomer = LoopbackClients.From("127.0.2.1", gateway.Url!, Load.Patience);
        using var lockedOut = await latecomer.PostAsync("/predictions", Uploads.Files(digits));

        var correctors = Enumerable.Range(0, correctionsCap / CorrectionsShare).Select(i => LoopbackClients.From($"127.0.3.{i + 1}", gateway.Url!, Load.Patience)).ToList();
        var toCorrect = ids.ToArray();
        var corrected = 0;
        await Task.WhenAll(correctors.Select(async (http, c) =>
        {
            foreach (var id in toCorrect.Skip(c * CorrectionsShare).Take(CorrectionsShare))
            {
                HttpStatusCode status;
                do
                {
                    using var response = await http.PostAsJsonAsync("/feedback", new { predictionId = id, label = 3 });
                    status = response.StatusCode;
                    if (status == HttpStatusCode.Conflict && (await response.Content.ReadAsStringAsync()).Contains("No result yet"))
                        await Poll.Until(async () => (await View(http, id))?.GetProperty("status").GetString() == "done", "the prediction answered, to correct it");
                    else break;
                }
                while (true);
                if (status == HttpStatusCode.OK) Interlocked.Increment(ref corrected);
                else refusals.AddOrUpdate((int)status, 1, (_, n) => n + 1);
            }
        }));

        var afterCorrections = PeakResidentMegabytes(gateway);
        // What reads the full stores: an admin's listing (judges every correction), the corrections' score, old results from the log.
        using var admin = new HttpClient { BaseAddress = gateway.Url, Timeout = Load.Patience };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", topology.AdminToken);
        using var listing = await admin.GetAsync("/feedback/corrections?limit=500");
        using var score = await admin.GetAsync("/feedback");
        var fetched = 0;
        foreach (var id in toCorrect.Take(200)) fetched += (await View(admin, id))?.GetProperty("status").GetString() == "done" ? 1 : 0;
        var peak = PeakResidentMegabytes(gateway);
        var onDisk = Directory.EnumerateFiles(Path.GetDirectoryName(topology.ModelPath)!, "*", SearchOption.AllDirectories)
            .Where(f => f.Contains("async", StringComparison.Ordinal) || f.Contains("feedback", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length) / (1024 * 1024);
        submitters.ForEach(h => h.Dispose());
        correctors.ForEach(h => h.Dispose());

        output.WriteLine($"STORES | {ids.Count} | {submitters.Count} | {corrected} | {correctors.Count} | {peak} | {onDisk} | {KubernetesLimitMebibytes} | {afterAsync} | {afterCorrections} | "
                         + string.Join(", ", refusals.OrderBy(r => r.Key).Select(r => $"{r.Value} x {r.Key}")));
        Assert.Equal(asyncCap, ids.Count);
        Assert.Equal(correctionsCap, corrected);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lockedOut.StatusCode);
        // Each submitter went on until refused as over its share, once; no correction was refused.
        Assert.Equal(new Dictionary<int, int> { [429] = submitters.Count }, refusals);
        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, score.StatusCode);
        Assert.Equal(200, fetched);
        // 277-288 MiB at the defaults, 192 at a tenth; 356, as it was before the listing stopped holding every correction's pixels, fails.
        Assert.InRange(peak, 1, KubernetesLimitMebibytes * 7 / 8);
    }

    private static async Task RunUntilAsync(Load load, HttpClient http, Func<bool> done, string what)
    {
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(http, concurrency: 2, stop.Token);
        await Poll.Until(() => Task.FromResult(done() || running.IsCompleted), what, TimeSpan.FromSeconds(180));
        await stop.CancelAsync();
        await running;
    }

    // As many photos as fit in one request's 10 MB.
    private static MultipartFormDataContent Submission(byte[] photo)
    {
        var form = new MultipartFormDataContent();
        for (var i = 0; i < Math.Min(16, 9 * 1024 * 1024 / photo.Length); i++)
            form.Add(new ByteArrayContent(photo) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg") } }, "files", $"{i}.jpg");
        return form;
    }

    [Fact]
    public async Task GatewayKilledWithAsyncResultsPendingLosesNoneAndAnyInstanceAnswersForThem()
    {
        // Submissions without a live connection: the results can only be fetched by id, as a reconnected browser does.
        // The predictors are frozen meanwhile, so every result is still pending when the gateway dies, and is
        // published while no gateway runs.
        var submitted = new List<Guid>();
        var refusals = new List<string>();
        var frozen = topology.Predictors.Select(p => p.Freeze()).ToList();
        try
        {
            for (var i = 0; i < 40 * Load.Scale; i++)
            {
                var response = await topology.Http.PostAsync("/predictions", Uploads.Form(Uploads.DigitPng(i % 100)));
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    refusals.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    continue;
                }
                submitted.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items")[0].GetProperty("id").GetGuid());
            }
            foreach (var id in submitted.Take(3)) Assert.Equal("pending", (await View(topology.Http, id))?.GetProperty("status").GetString());
            topology.Gateway.Kill();
        }
        finally
        {
            frozen.ForEach(f => f.Dispose());
        }
        await Poll.Until(async () => await QueuedAsync("gateway-async-results") == submitted.Count, "the results published while no gateway ran, queued durably", TimeSpan.FromSeconds(60));
        topology.Gateway.Start();
        await topology.Gateway.WaitReadyAsync();
        using var other = topology.GatewayService("gateway-other");
        other.Start();
        await other.WaitReadyAsync();
        using var otherHttp = Load.Client(other);

        var answered = new Dictionary<Guid, int>();
        await Poll.Until(async () =>
        {
            foreach (var id in submitted.Where(id => !answered.ContainsKey(id)))
            {
                var restarted = await View(topology.Http, id);
                var elsewhere = await View(otherHttp, id);
                if (restarted?.GetProperty("status").GetString() == "done" && elsewhere?.GetProperty("status").GetString() == "done")
                    answered[id] = restarted.Value.GetProperty("result").GetProperty("digit").GetInt32();
            }
            return answered.Count == submitted.Count;
        }, "every accepted async prediction done, on the restarted gateway and on another instance", TimeSpan.FromSeconds(90));

        var sent = 40 * Load.Scale;
        // The restarted gateway lists the replicas once they have reported to it.
        await AllThreeReportingAsync();
        var served = await ServedAsync();
        output.WriteLine(Load.ReportLine("gateway-restart", $"gateway killed (SIGKILL) with {sent} async results pending", sent, answered.Count, refusals.Count,
            sent - refusals.Count - answered.Count, string.Join(",", served)));
        AssertStillServingTheStartingModel(served);
        Assert.Equal(submitted.Count, answered.Count);
        Assert.Empty(refusals);
    }

    [Fact]
    public async Task ControllerKilledMidTrainingAndMidShadowingSettlesTheTrainingOnceAndLosesNoRequest()
    {
        var asked = 40 * Load.Scale;
        var trainingId = Guid.NewGuid();
        var settled = new ConcurrentQueue<RetrainSettled>();
        var bus = await topology.Node.StartBusAsync(topology.VirtualHost);
        var listening = bus.ConnectReceiveEndpoint(e => e.Handler<RetrainSettled>(c =>
        {
            settled.Enqueue(c.Message);
            return Task.CompletedTask;
        }));
        await listening.Ready;
        try
        {
            // The trainer's command line on the broker, as a Job runs it (500 real images, one epoch, for speed): served
            // regardless of its scores, but only once the replicas have shadowed it. The controller decides all that.
            var training = TrainAsync(topology.BusEnvironment(), "--epochs", "1", "--limit", "500", "--test-limit", "1000", "--validation-uploads", "100",
                "--data-dir", Path.Combine(Repository.Root, "data", "mnist"), "--save-model", "--save-model-path", topology.ModelPath,
                "--promote-regardless", "--shadow-predictions", $"{asked}", "--shadow-sample-rate", "1", "--training-id", $"{trainingId}");

            // Killed mid-training, once it has heard the training start: its events wait in its queue meanwhile.
            await Poll.Until(() => Task.FromResult(TrainingState(trainingId) == "Training"), "the controller following the training", TimeSpan.FromSeconds(120),
                topology.Controller);
            topology.Controller.Kill();
            var (exit, log) = await training;
            Assert.True(exit == 0, log);
            var candidate = Regex.Match(log, @"Saved model (\S+)").Groups[1].Value;
            topology.Controller.Start();
            await topology.Controller.WaitReadyAsync();
            await Poll.Until(async () => (await topology.ModelsAsync()).GetProperty("shadow") is { ValueKind: JsonValueKind.Object } shadow
                && shadow.GetProperty("candidate").GetString() == candidate && shadow.GetProperty("replicas").GetArrayLength() == 3,
                "every replica shadowing the candidate the restarted controller decided to shadow first", TimeSpan.FromSeconds(60), topology.Controller);

            // Killed mid-shadowing: the plan is on the volume, and the replicas' next reports are whole counts again.
            topology.Controller.Kill();
            topology.Controller.Start();
            await topology.Controller.WaitReadyAsync();
            var load = new Load();
            using var stop = new CancellationTokenSource();
            var running = load.RunAsync(topology.Http, concurrency: 6, stop.Token);
            JsonElement verdict = default;
            try
            {
                await Poll.Until(async () =>
                {
                    var models = await topology.ModelsAsync();
                    verdict = models.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetString() == candidate).GetProperty("promotion");
                    var replicas = FaultTopology.Replicas(models);
                    return verdict.GetProperty("promoted").GetBoolean() && replicas.Count == 3 && replicas.Values.All(v => v == candidate);
                }, $"{candidate} promoted by the restarted controller after {asked} shadowed digits, and served", TimeSpan.FromSeconds(90), topology.Controller);
            }
            finally
            {
                await stop.CancelAsync();
                await running;
            }
            await Poll.Until(() => Task.FromResult(!settled.IsEmpty), "the training's RetrainSettled", TimeSpan.FromSeconds(30), topology.Controller);

            // The suite's model again, for the other scenarios: a rollback by hand, carried out by the controller.
            using (var rollback = new HttpRequestMessage(HttpMethod.Post, $"/models/{topology.ServedAtStart}/activate"))
            {
                rollback.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", topology.AdminToken);
                Assert.Equal(HttpStatusCode.Accepted, (await topology.Http.SendAsync(rollback)).StatusCode);
            }
            await Poll.Until(async () => await ServedAsync() is [var only] && only == topology.ServedAtStart && FaultTopology.Replicas(await topology.ModelsAsync()).Count == 3,
                "every replica back on the suite's model");
            await ReportAsync(load, "controller-restarts", $"controller killed (SIGKILL) mid-training and while its candidate waited on {asked} shadowed digits");
            Assert.Equal(load.Sent, load.Answered);
            Assert.False(verdict.GetProperty("pending").GetBoolean());
            Assert.InRange(verdict.GetProperty("shadow").GetProperty("compared").GetInt64(), asked, long.MaxValue);
            var once = Assert.Single(settled, m => m.TrainingId == trainingId);
            Assert.Equal((RetrainSettled.Promoted, candidate), (once.Outcome, once.Version));
            Assert.Equal("Promoted", TrainingState(trainingId));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    // What the controller's state machine last wrote for the training, read from the model volume as it keeps it.
    private string? TrainingState(Guid trainingId)
    {
        var path = Path.Combine(new MnistEvents.Registry.ModelVolume(topology.ModelPath).RetrainsDirectory, $"{trainingId:N}.json");
        try
        {
            return File.Exists(path) ? JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("currentState").GetString() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task<(int Exit, string Log)> TrainAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Repository.ServiceExecutable("Trainer")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var trainer = Process.Start(start)!;
        var output = trainer.StandardOutput.ReadToEndAsync();
        var error = trainer.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await trainer.WaitForExitAsync(deadline.Token);
        return (trainer.ExitCode, await output + await error);
    }

    private static async Task<JsonElement?> View(HttpClient http, Guid id)
    {
        var response = await http.GetAsync($"/predictions/{id}");
        return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement : null;
    }

    [Fact]
    public async Task PredictorKilledMidBatchLosesNoAcceptedRequest()
    {
        var victim = topology.Predictors[1];
        var survivors = topology.Predictors.Where(p => p != victim).ToList();
        long redeliveredBefore = 0;
        var load = new Load();
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(topology.Http, concurrency: 8, stop.Token);
        try
        {
            await Poll.Until(() => Task.FromResult(load.Answered >= 60 * Load.Scale), "answers before the kill");
            // Frozen, it still takes deliveries up to its prefetch, so soon a request waits on it far longer than any
            // other takes to be answered: then it is killed holding that batch, unacknowledged.
            redeliveredBefore = await RedeliveredAsync(survivors);
            victim.Freeze();
            await Poll.Until(() => Task.FromResult(load.OldestInFlight > TimeSpan.FromSeconds(1)), "a request waiting on the frozen replica");
            victim.Kill();
            var answeredBefore = load.Answered;
            await Poll.Until(() => Task.FromResult(load.Answered >= answeredBefore + 100 * Load.Scale), "answers after the kill");
        }
        finally
        {
            await stop.CancelAsync();
            await running;
            victim.Start();
            await victim.WaitReadyAsync();
        }

        var taken = await RedeliveredAsync(survivors) - redeliveredBefore;
        await ReportAsync(load, "predictor-kill", $"a predictor SIGKILLed under load holding {taken} unacknowledged batch(es), redelivered to the others");
        Assert.True(taken > 0, "the killed replica held no unacknowledged batch, so nothing here tested redelivery");
        Assert.Equal(load.Sent, load.Answered);
        Assert.Contains(load.Outcomes, o => o.Replica == victim.Name);
    }

    // The survivors' count of batches the broker delivered to them again (mnist_predictor_batches_redelivered_total).
    private static async Task<long> RedeliveredAsync(IEnumerable<ServiceProcess> predictors)
    {
        long total = 0;
        foreach (var predictor in predictors)
        {
            using var http = new HttpClient { BaseAddress = predictor.Url };
            total += (await http.GetStringAsync("/metrics")).Split('\n')
                .Where(line => line.StartsWith("mnist_predictor_batches_redelivered_total", StringComparison.Ordinal))
                .Sum(line => (long)double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture));
        }
        return total;
    }

    private async Task ReportAsync(Load load, string scenario, string injected)
    {
        var served = await ServedAsync();
        output.WriteLine(load.Report(scenario, injected, string.Join(",", served)));
        foreach (var lost in load.Outcomes.Where(o => o.Kind == OutcomeKind.Lost).Take(5)) output.WriteLine($"lost: {lost}");
        foreach (var refused in load.Outcomes.Where(o => o.Kind == OutcomeKind.Refused).Take(5)) output.WriteLine($"refused: {refused}");
        AssertStillServingTheStartingModel(served);
    }

    private async Task<List<string>> ServedAsync() => FaultTopology.Replicas(await topology.ModelsAsync()).Values.OfType<string>().Distinct().ToList();

    /// <summary>No fault may end with another model, or a broken one, served: every replica still serves the suite's first model.</summary>
    private void AssertStillServingTheStartingModel(List<string> served) => Assert.Equal([topology.ServedAtStart], served);

    private Task AllThreeReportingAsync() =>
        Poll.Until(async () => FaultTopology.Replicas(await topology.ModelsAsync()).Count == 3, "all three replicas reporting", TimeSpan.FromSeconds(60), topology.DescribeAsync);

    private async Task<int> QueuedAsync(string queue)
    {
        var queues = await topology.Node.CtlAsync("list_queues", "-p", topology.VirtualHost, "-q", "name", "messages");
        return queues.Split('\n').Select(l => l.Split('\t')).Where(f => f.Length == 2 && f[0] == queue).Select(f => int.Parse(f[1])).SingleOrDefault(-1);
    }

    private async Task<int> ModelActivatedConsumersAsync()
    {
        var queues = await topology.Node.CtlAsync("list_queues", "-p", topology.VirtualHost, "-q", "name", "consumers");
        return queues.Split('\n').Select(l => l.Split('\t')).Count(f => f.Length == 2 && f[0].StartsWith("predictor-model-activated-", StringComparison.Ordinal)
                                                                          && int.TryParse(f[1], out var c) && c > 0);
    }

    // MiB, as Kubernetes counts a limit.
    private static int PeakResidentMegabytes(ServiceProcess service)
    {
        var status = File.ReadAllLines($"/proc/{service.ProcessId}/status");
        var line = status.First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return (int)(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024);
    }
}
