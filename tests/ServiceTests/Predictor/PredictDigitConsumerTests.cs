using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.ServiceDefaults;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Predictor;

public class PredictDigitConsumerTests
{
    [Fact]
    public async Task ConcurrentCommandsShareForwardPassesAndEachGetsItsOwnAnswer()
    {
        using var batches = new BatchSizes();
        await using var predictor = await PredictorHost.StartAsync(Models.SeedCopy(TestData.TempDirectory()));
        var version = await predictor.WaitForModelAsync();
        var client = predictor.PredictClient();
        var test = TestData.Test.Take(64);

        var requests = Enumerable.Range(0, test.Count).Select(i => new PredictDigit(Guid.NewGuid(), test.Image(i).ToArray(), DateTimeOffset.UtcNow)).ToList();
        var responses = await Task.WhenAll(requests.Select(r => client.GetResponse<DigitPredicted>(r)));

        Assert.Equal(requests.Select(r => r.RequestId), responses.Select(r => r.Message.RequestId));
        Assert.True(responses.Where((r, i) => r.Message.Digit == test.Labels[i]).Count() >= 58, "the seed MLP gets ~96% of real digits right");
        Assert.All(responses, r =>
        {
            Assert.Equal(version, r.Message.ModelVersion);
            Assert.Equal(ReplicaIdentity.Current, r.Message.Replica);
            Assert.Equal(1f, r.Message.Probabilities.Sum(), 3);
            Assert.Equal(r.Message.Probabilities.Max(), r.Message.Confidence);
        });
        Assert.Equal(64, batches.Sizes.Sum());
        Assert.True(batches.Sizes.Max() > 1, $"batch sizes {string.Join(",", batches.Sizes)}");
    }

    [Fact]
    public async Task ReplicaWithoutAModelTakesNoWorkAndAnswersWhatWaitedOnceAModelIsSaved()
    {
        var path = Path.Combine(TestData.TempDirectory(), "mnist.pt");
        await using var predictor = await PredictorHost.StartAsync(path);
        var client = predictor.PredictClient(RequestTimeout.After(s: 30));

        var pending = client.GetResponse<DigitPredicted>(new PredictDigit(Guid.NewGuid(), TestData.Test.Image(0).ToArray(), DateTimeOffset.UtcNow));
        // Without a model the replica's endpoint does not consume, so the command waits in the queue rather than failing.
        Assert.Null(predictor.Holder.Manifest);
        Assert.False(predictor.FirstModel.Ready.IsCompleted);
        File.Copy(TestData.Fixture("seed_mlp.pt"), path);

        var response = await pending;
        Assert.Equal(7, response.Message.Digit);
        Assert.Equal(predictor.Holder.Manifest?.Version, response.Message.ModelVersion);
        Assert.False(await predictor.Harness.Published.Any<Fault<PredictDigit>>());
    }

    [Fact]
    public async Task CommandWithTheWrongNumberOfPixelsIsNotClassified()
    {
        using var batches = new BatchSizes();
        await using var predictor = await PredictorHost.StartAsync(Models.SeedCopy(TestData.TempDirectory()));
        await predictor.WaitForModelAsync();

        var queue = await predictor.Harness.Bus.GetSendEndpoint(QueueNames.Address(QueueNames.PredictDigit));
        await queue.Send(new PredictDigit(Guid.NewGuid(), new byte[100], DateTimeOffset.UtcNow));

        Assert.True(await predictor.Harness.Consumed.Any<PredictDigit>());
        Assert.Empty(batches.Sizes);
        Assert.False(await predictor.Harness.Published.Any<DigitPredicted>());
    }
}
