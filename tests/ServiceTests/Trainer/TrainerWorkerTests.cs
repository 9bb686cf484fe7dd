using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MnistEvents.Contracts;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.TestSupport;
using MnistEvents.Trainer;
using MnistEvents.Trainer.Worker;

namespace MnistEvents.ServiceTests.Trainer;

/// <summary>
/// The trainer worker takes the controller's StartTraining into its journal and acknowledges it at once, so a long training
/// is never redelivered: one delivered twice trains once, and one a restart interrupted is trained when the worker comes
/// back; it reports its judgement and leaves the decision to the controller. (Trains on 300 real MNIST images, for speed.)
/// </summary>
public class TrainerWorkerTests
{
    [Fact]
    public async Task ATrainingDeliveredTwiceIsTrainedOnceAndItsJudgementReportedNotActedOn()
    {
        var directory = TestData.TempDirectory();
        await using var worker = await StartAsync(directory);
        var request = Request();
        var queue = await worker.Harness.Bus.GetSendEndpoint(QueueNames.Address(QueueNames.StartTraining));

        await queue.Send(request);
        await queue.Send(request);

        Assert.True(await worker.Harness.Published.Any<TrainingCompleted>(m => m.Context.Message.TrainingId == request.TrainingId));
        Assert.Equal(2, worker.Harness.Consumed.Select<StartTraining>().Count());
        Assert.Single(worker.Harness.Published.Select<TrainingStarted>(), m => m.Context.Message.TrainingId == request.TrainingId);
        var judged = Assert.Single(worker.Harness.Published.Select<CandidateJudged>()).Context.Message;
        Assert.Equal((request.TrainingId, true), (judged.TrainingId, judged.Passed));
        // The first model on an empty volume, and still nothing serves: activating it is the controller's decision.
        Assert.Null(new ModelRegistry(Path.Combine(directory, "mnist.pt")).ActiveVersion);
        Assert.False(await worker.Harness.Published.Any<ModelActivated>());
    }

    [Fact]
    public async Task RequestARestartInterruptedIsTrainedWhenTheWorkerStartsAgain()
    {
        var directory = TestData.TempDirectory();
        var request = Request();
        // As a worker killed mid-training leaves it: written down, marked running, never finished.
        Directory.CreateDirectory(Path.Combine(directory, "training-jobs"));
        await File.WriteAllTextAsync(Path.Combine(directory, "training-jobs", $"{request.TrainingId:N}.json"),
            JsonSerializer.Serialize(new JournalEntry(request, JournalEntry.Running, DateTimeOffset.UtcNow), new JsonSerializerOptions(JsonSerializerDefaults.Web)));

        await using var worker = await StartAsync(directory);

        Assert.True(await worker.Harness.Published.Any<TrainingCompleted>(m => m.Context.Message.TrainingId == request.TrainingId));
        Assert.True(await worker.Harness.Published.Any<ModelSaved>());
    }

    private static StartTraining Request() => new(Guid.NewGuid(), 1, null, null, 300, "test", DateTimeOffset.UtcNow, false, null);

    private static async Task<Worker> StartAsync(string directory)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ModelVolume:ModelPath"] = Path.Combine(directory, "mnist.pt");
        builder.Configuration["Trainer:ValidationUploads"] = "100"; // the gate is not what these tests are about
        builder.AddTrainerWorker();
        builder.Services.AddMassTransitTestHarness(x => builder.ApplyBusRegistrations(x));
        // The harness waits until the bus is quiet this long. A training publishes progress every 250 ms, so it is never quiet
        // then; but between the last epoch and the verdict the gate renders and scores its uploads in silence (seconds
        // on a slow machine), and an answer the harness gives up on meanwhile would read as a missing message.
        // Nor may its clock for the whole test end a training that a slow machine needs longer for (30 s by default).
        builder.Services.Configure<TestHarnessOptions>(o =>
        {
            o.TestInactivityTimeout = TimeSpan.FromSeconds(60);
            o.TestTimeout = TimeSpan.FromMinutes(5);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new Worker(host, host.Services.GetTestHarness());
    }

    private sealed record Worker(IHost Host, ITestHarness Harness) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync();
            Host.Dispose();
        }
    }
}
