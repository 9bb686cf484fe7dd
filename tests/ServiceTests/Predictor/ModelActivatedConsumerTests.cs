using System.Text.Json;
using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Model.Networks;
using MnistEvents.Model.Store;
using MnistEvents.Registry;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Predictor;

/// <summary>
/// Hot reload from the replica's own model file: an announcement names a version and a sha256, never a path, and
/// anything on the volume that is not a sound model of that sha256 is refused while the old model keeps serving.
/// </summary>
public class ModelActivatedConsumerTests
{
    // Only an announcement can change the model in these tests: the volume is not polled within them.
    private static readonly (string, string) NoPolling = ("Predictor:PollSeconds", "3600");

    [Fact]
    public async Task AnnouncedModelIsReadFromTheReplicasOwnFileVerifiedSwappedInAndAnnouncedAsServed()
    {
        var path = Models.SeedCopy(TestData.TempDirectory());
        await using var predictor = await PredictorHost.StartAsync(path, NoPolling);
        await predictor.WaitForModelAsync();
        var next = Models.SaveUntrained(path);

        await predictor.Harness.Bus.Publish(Activated(next));

        await predictor.WaitForModelAsync(next.Version);
        Assert.True(await predictor.Harness.Published.Any<ModelLoaded>(m => m.Context.Message.Version == next.Version));
    }

    [Fact]
    public async Task AnnouncementThatIsNotTheModelOnTheVolumeIsRefusedAndTheOldOneKeepsServing()
    {
        var path = Models.SeedCopy(TestData.TempDirectory());
        await using var predictor = await PredictorHost.StartAsync(path, NoPolling);
        var serving = await predictor.WaitForModelAsync();
        var elsewhere = Models.SaveUntrained(Path.Combine(TestData.TempDirectory(), "mnist.pt"));

        await predictor.Harness.Bus.Publish(Activated(elsewhere));

        await AssertRefusedAsync(predictor, elsewhere.Version, serving, "not the announced");
    }

    [Theory]
    [InlineData("link-outside", "outside the model directory")]
    [InlineData("dev-zero", "outside the model directory")]
    [InlineData("not-a-model", "not a PyTorch state_dict")]
    [InlineData("oversize", "a model may be at most 1,000,000")]
    public async Task HostileFileOnTheVolumeIsRefusedWithModelRejectedAndTheOldOneKeepsServing(string kind, string reason)
    {
        var directory = TestData.TempDirectory();
        var path = Models.SeedCopy(directory);
        await using var predictor = await PredictorHost.StartAsync(path, NoPolling, ("Predictor:MaxModelBytes", "1000000"));
        var serving = await predictor.WaitForModelAsync();

        var announced = Plant(kind, path);
        await predictor.Harness.Bus.Publish(Activated(announced));

        await AssertRefusedAsync(predictor, announced.Version, serving, reason);
    }

    [Fact]
    public async Task AnnouncementOfAFileAPollAlreadyRefusedIsStillRefusedByName()
    {
        var path = Models.SeedCopy(TestData.TempDirectory());
        await using var predictor = await PredictorHost.StartAsync(path);
        var serving = await predictor.WaitForModelAsync();
        var announced = Plant("not-a-model", path);
        await Poll.Until(() => predictor.Harness.Published.Any<ModelRejected>(m => m.Context.Message.Version == "(on the volume)"),
            "the heartbeat's poll refusing the file on the volume", TimeSpan.FromSeconds(10));

        await predictor.Harness.Bus.Publish(Activated(announced));

        await AssertRefusedAsync(predictor, announced.Version, serving, "not a PyTorch state_dict");
    }

    [Fact]
    public async Task ReplicaThatMissedTheAnnouncementCatchesUpFromTheVolume()
    {
        var path = Models.SeedCopy(TestData.TempDirectory());
        await using var predictor = await PredictorHost.StartAsync(path);
        await predictor.WaitForModelAsync();

        var next = Models.SaveUntrained(path); // written, never announced: as if the broker was down when it was

        await predictor.WaitForModelAsync(next.Version);
        Assert.True(await predictor.Harness.Published.Any<ModelLoaded>(m => m.Context.Message.Version == next.Version));
    }

    [Fact]
    public async Task RequestsKeepBeingAnsweredWhileModelsSwapUnderThem()
    {
        var path = Models.SeedCopy(TestData.TempDirectory());
        await using var predictor = await PredictorHost.StartAsync(path, NoPolling);
        var first = await predictor.WaitForModelAsync();
        var versions = new HashSet<string> { first };

        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            var answered = new List<string>();
            while (!stop.IsCancellationRequested)
            {
                var batch = await predictor.PredictAsync(Enumerable.Range(0, 8).Select(i => TestData.Test.Image(i).ToArray()).ToArray());
                answered.AddRange(batch.Select(r => r.ModelVersion));
            }
            return answered;
        });
        for (var i = 0; i < 4; i++)
        {
            var next = Models.SaveUntrained(path);
            versions.Add(next.Version);
            await predictor.Harness.Bus.Publish(Activated(next));
            await predictor.WaitForModelAsync(next.Version);
        }
        await stop.CancelAsync();

        var answeredVersions = await load; // any failed request would have thrown here
        Assert.True(answeredVersions.Count > 0);
        Assert.Subset(versions, answeredVersions.ToHashSet());
    }

    /// <summary>Puts something hostile where the replica's model file is, with a manifest that announces it.</summary>
    private static ModelManifest Plant(string kind, string path)
    {
        File.Delete(path);
        switch (kind)
        {
            case "link-outside":
                var outside = Path.Combine(TestData.TempDirectory(), "mnist.pt");
                var model = Models.SaveUntrained(outside);
                File.CreateSymbolicLink(path, outside);
                File.Copy(ModelStore.ManifestPath(outside), ModelStore.ManifestPath(path), overwrite: true);
                return model;
            case "dev-zero":
                File.CreateSymbolicLink(path, "/dev/zero");
                return Manifest(path, new string('0', 64));
            case "not-a-model":
                File.WriteAllBytes(path, "this is not a model"u8.ToArray());
                return Manifest(path, ModelStore.Sha256(path));
            case "oversize":
                return Models.SaveUntrained(path, Architecture.Cnn); // a real model (1.5 MB), over what this replica allows
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static ModelManifest Manifest(string path, string sha256)
    {
        var manifest = new ModelManifest($"planted-{sha256[..8]}", sha256, "mlp", null, 0, DateTimeOffset.UtcNow);
        File.WriteAllText(ModelStore.ManifestPath(path), JsonSerializer.Serialize(manifest, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        return manifest;
    }

    private static async Task AssertRefusedAsync(PredictorHost predictor, string version, string serving, string reason)
    {
        // Polled with a deadline, not the harness's Any: that gives up once the bus has been quiet for a moment, which a
        // loaded machine's slower refusal outlasted; and its continuation, run on the harness's timer, once hung the
        // suite when the failure message listed what was published.
        await Poll.Until(() => Task.FromResult(predictor.Harness.PublishedSoFar<ModelRejected>()
                .Any(m => m.Version == version && m.StillServing == serving && m.Reason.Contains(reason))),
            $"a ModelRejected for {version} saying '{reason}', still serving {serving}", TimeSpan.FromSeconds(30),
            () => Task.FromResult("published: " + string.Join("; ", predictor.Harness.PublishedSoFar<ModelRejected>()
                .Select(m => $"{m.Version} (still serving {m.StillServing}): {m.Reason}"))));
        Assert.Equal(serving, predictor.Holder.Manifest!.Version);
        var answer = await predictor.PredictAsync(TestData.Test.Image(0).ToArray());
        Assert.Equal(serving, answer.ModelVersion);
    }

    private static ModelActivated Activated(ModelManifest manifest) =>
        new(manifest.Version, manifest.Sha256, manifest.Architecture, manifest.TestAccuracy, manifest.TrainedAt, null, "a test", DateTimeOffset.UtcNow);
}
