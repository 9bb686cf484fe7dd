using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.ServiceDefaults;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Predictor;

public class PredictDigitBatchConsumerTests
{
    [Fact]
    public async Task ABatchIsOneForwardPassAndEachDigitGetsItsOwnAnswerInOrder()
    {
        using var batches = new BatchSizes();
        await using var predictor = await PredictorHost.StartAsync(Models.SeedCopy(TestData.TempDirectory()));
        var version = await predictor.WaitForModelAsync();
        var test = TestData.Test.Take(64);
        var batch = PredictorHost.Batch(Enumerable.Range(0, test.Count).Select(i => test.Image(i).ToArray()).ToArray());

        var response = await predictor.Harness.Bus.CreateRequestClient<PredictDigitBatch>(QueueNames.Address(QueueNames.PredictDigitBatch))
            .GetResponse<DigitBatchPredicted>(batch);

        Assert.Equal(batch.BatchId, response.Message.BatchId);
        var answers = response.Message.Predictions();
        Assert.Equal(batch.RequestIds, answers.Select(a => a.RequestId));
        Assert.True(answers.Where((a, i) => a.Digit == test.Labels[i]).Count() >= 58, "the seed MLP gets ~96% of real digits right");
        Assert.All(answers, a =>
        {
            Assert.Equal(version, a.ModelVersion);
            Assert.Equal(ReplicaIdentity.Current, a.Replica);
            Assert.Equal(1f, a.Probabilities.Sum(), 3);
            Assert.Equal(a.Probabilities.Max(), a.Confidence);
        });
        Assert.Equal([64], batches.Sizes);
        // A request is answered to its sender only: nothing published for the async results queue.
        Assert.False(await predictor.Harness.Published.Any<DigitBatchPredicted>());
    }

    [Fact]
    public async Task ABatchSentAsACommandHasItsAnswersPublished()
    {
        await using var predictor = await PredictorHost.StartAsync(Models.SeedCopy(TestData.TempDirectory()));
        var version = await predictor.WaitForModelAsync();
        var batch = PredictorHost.Batch([TestData.Test.Image(0).ToArray(), TestData.Test.Image(1).ToArray()]);

        var queue = await predictor.Harness.Bus.GetSendEndpoint(QueueNames.Address(QueueNames.PredictDigitBatch));
        await queue.Send(batch);

        Assert.True(await predictor.Harness.Published.Any<DigitBatchPredicted>(m => m.Context.Message.BatchId == batch.BatchId));
        var answers = predictor.Harness.Published.Select<DigitBatchPredicted>().Single().Context.Message.Predictions();
        Assert.Equal(batch.RequestIds, answers.Select(a => a.RequestId));
        Assert.Equal([TestData.Test.Labels[0], TestData.Test.Labels[1]], answers.Select(a => (byte)a.Digit));
        Assert.All(answers, a => Assert.Equal(version, a.ModelVersion));
    }

    [Fact]
    public async Task ReplicaWithoutAModelTakesNoWorkAndAnswersWhatWaitedOnceAModelIsSaved()
    {
        var path = Path.Combine(TestData.TempDirectory(), "mnist.pt");
        await using var predictor = await PredictorHost.StartAsync(path);

        var pending = predictor.PredictAsync(TestData.Test.Image(0).ToArray(), RequestTimeout.After(s: 30));
        // Without a model the replica's endpoint does not consume, so the batch waits in the queue rather than failing.
        Assert.Null(predictor.Holder.Manifest);
        Assert.False(predictor.FirstModel.Ready.IsCompleted);
        File.Copy(TestData.Fixture("seed_mlp.pt"), path);

        var answer = await pending;
        Assert.Equal(TestData.Test.Labels[0], answer.Digit);
        Assert.Equal(predictor.Holder.Manifest?.Version, answer.ModelVersion);
        Assert.False(await predictor.Harness.Published.Any<Fault<PredictDigitBatch>>());
    }

    [Fact]
    public async Task BatchWhosePixelsAreNotWholeImagesIsNotClassified()
    {
        using var batches = new BatchSizes();
        await using var predictor = await PredictorHost.StartAsync(Models.SeedCopy(TestData.TempDirectory()));
        await predictor.WaitForModelAsync();

        var queue = await predictor.Harness.Bus.GetSendEndpoint(QueueNames.Address(QueueNames.PredictDigitBatch));
        await queue.Send(new PredictDigitBatch(Guid.NewGuid(), [Guid.NewGuid(), Guid.NewGuid()], new byte[784 + 100], DateTimeOffset.UtcNow));

        Assert.True(await predictor.Harness.Consumed.Any<PredictDigitBatch>());
        Assert.Empty(batches.Sizes);
        Assert.False(await predictor.Harness.Published.Any<DigitBatchPredicted>());
    }

    [Fact]
    public async Task AMalformedBatchRequestIsAnsweredWithARejectionNotLeftToTimeOut()
    {
        await using var predictor = await PredictorHost.StartAsync(Models.SeedCopy(TestData.TempDirectory()));
        await predictor.WaitForModelAsync();
        var batch = new PredictDigitBatch(Guid.NewGuid(), [Guid.NewGuid(), Guid.NewGuid()], new byte[784 + 100], DateTimeOffset.UtcNow);

        // A timeout far beyond the answer: a rejection must come back, not the deadline.
        var response = await predictor.Harness.Bus.CreateRequestClient<PredictDigitBatch>(QueueNames.Address(QueueNames.PredictDigitBatch))
            .GetResponse<DigitBatchPredicted, PredictionRejected>(batch, timeout: RequestTimeout.After(s: 120));

        Assert.True(response.Is(out Response<PredictionRejected>? rejected));
        Assert.Equal(batch.BatchId, rejected.Message.BatchId);
        Assert.Equal("884 pixel bytes for 2 requests: a batch holds one 28×28 image (784 bytes) per request", rejected.Message.Reason);
        Assert.False(await predictor.Harness.Published.Any<Fault<PredictDigitBatch>>());
    }
}
