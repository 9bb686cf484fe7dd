using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Predictor;

public class ModelSavedConsumerTests
{
    [Fact]
    public async Task AnnouncedModelIsVerifiedSwappedInAndAnnouncedAsServed()
    {
        var dir = TestData.TempDirectory();
        await using var predictor = await PredictorHost.StartAsync(Models.SeedCopy(dir));
        await predictor.WaitForModelAsync();
        var next = Models.SaveUntrained(Path.Combine(dir, "next", "mnist.pt"));

        await predictor.Harness.Bus.Publish(Saved(next, Path.Combine(dir, "next", "mnist.pt")));

        await predictor.WaitForModelAsync(next.Version);
        Assert.True(await predictor.Harness.Published.Any<ModelLoaded>(m => m.Context.Message.Version == next.Version));
    }

    [Fact]
    public async Task ModelThatIsNotTheAnnouncedOneIsRefusedAndTheOldOneKeepsServing()
    {
        var dir = TestData.TempDirectory();
        await using var predictor = await PredictorHost.StartAsync(Models.SeedCopy(dir));
        var serving = await predictor.WaitForModelAsync();
        var next = Models.SaveUntrained(Path.Combine(dir, "next", "mnist.pt"));

        await predictor.Harness.Bus.Publish(Saved(next, Path.Combine(dir, "next", "mnist.pt")) with { Sha256 = new string('0', 64) });

        Assert.True(await predictor.Harness.Published.Any<ModelRejected>(m => m.Context.Message.Version == next.Version
                                                                            && m.Context.Message.StillServing == serving));
        Assert.Equal(serving, predictor.Holder.Manifest!.Version);
        var answer = await predictor.PredictClient()
            .GetResponse<DigitPredicted>(new PredictDigit(Guid.NewGuid(), TestData.Test.Image(0).ToArray(), DateTimeOffset.UtcNow));
        Assert.Equal(serving, answer.Message.ModelVersion);
    }

    [Fact]
    public async Task RequestsKeepBeingAnsweredWhileModelsSwapUnderThem()
    {
        var dir = TestData.TempDirectory();
        await using var predictor = await PredictorHost.StartAsync(Models.SeedCopy(dir));
        var first = await predictor.WaitForModelAsync();
        var client = predictor.PredictClient();
        var versions = new HashSet<string> { first };

        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            var answered = new List<string>();
            while (!stop.IsCancellationRequested)
            {
                var batch = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.GetResponse<DigitPredicted>(
                    new PredictDigit(Guid.NewGuid(), TestData.Test.Image(i).ToArray(), DateTimeOffset.UtcNow))));
                answered.AddRange(batch.Select(r => r.Message.ModelVersion));
            }
            return answered;
        });
        for (var i = 0; i < 4; i++)
        {
            var path = Path.Combine(dir, $"v{i}", "mnist.pt");
            var next = Models.SaveUntrained(path);
            versions.Add(next.Version);
            await predictor.Harness.Bus.Publish(Saved(next, path));
            await predictor.WaitForModelAsync(next.Version);
        }
        await stop.CancelAsync();

        var answeredVersions = await load; // any failed request would have thrown here
        Assert.True(answeredVersions.Count > 0);
        Assert.Subset(versions, answeredVersions.ToHashSet());
    }

    private static ModelSaved Saved(Model.Store.ModelManifest manifest, string path) =>
        new(manifest.Version, path, manifest.Sha256, manifest.Architecture, manifest.TestAccuracy, manifest.Epochs, manifest.TrainedAt, null);
}
