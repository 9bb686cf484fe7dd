using MassTransit;
using MassTransit.Testing;
using MnistEvents.Contracts;
using MnistEvents.Controller.Retraining;
using MnistEvents.Registry;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Controller;

/// <summary>
/// The controller's retrain state machine on the test harness, the tests playing trainer, replicas and gateway with
/// their own messages; versions are untrained networks saved on a temporary volume (what is decided here is what serves,
/// not how well: the trainer's judgement on real training is tested in PromotionTests).
/// </summary>
public class RetrainStateMachineTests
{
    private readonly string modelPath = Path.Combine(TestData.TempDirectory(), "mnist.pt");

    [Fact]
    public async Task RequestsAreCheckedOnceAndTrainedOneAtATimeInTheOrderTheyCame()
    {
        await using var controller = await ControllerHost.StartAsync(modelPath);
        var first = ControllerHost.Request();
        var second = ControllerHost.Request();

        var firstAnswer = await controller.RequestAsync(first);
        var secondAnswer = await controller.RequestAsync(second);

        Assert.True(firstAnswer.Is(out Response<RetrainAccepted>? started) && started.Message is { Status: "starting", Ahead: 0 });
        Assert.True(secondAnswer.Is(out Response<RetrainAccepted>? queued) && queued.Message is { Status: "queued", Ahead: 1 });
        Assert.Equal([first.TrainingId], controller.Started().Select(s => s.TrainingId));

        var candidate = Models.SaveUntrainedVersion(controller.Registry);
        await controller.PublishAsync(new TrainingStarted(first.TrainingId, "mlp", 1, 64, 1, 500, "a worker", DateTimeOffset.UtcNow));
        await controller.StateAsync(first.TrainingId, "Training");
        Assert.Single(controller.Started());
        await controller.PublishAsync(controller.Judged(first.TrainingId, candidate.Version, passed: false));

        await controller.StateAsync(first.TrainingId, "Refused");
        await Poll.Until(() => Task.FromResult(controller.Started().Count == 2), "the second training started once the first was judged");
        Assert.Equal([first.TrainingId, second.TrainingId], controller.Started().Select(s => s.TrainingId));
        var settled = Assert.Single(await controller.SettledAsync(first.TrainingId));
        Assert.Equal((RetrainSettled.Refused, candidate.Version, "worse than the served model"), (settled.Outcome, settled.Version, settled.Reason));
        Assert.False(controller.Registry.Decision(candidate.Version)!.Promoted);
    }

    [Fact]
    public async Task SettingsNoTrainerCouldRunAreRefusedInWordsAndSettledWithoutATraining()
    {
        await using var controller = await ControllerHost.StartAsync(modelPath);
        var request = ControllerHost.Request(epochs: 31);

        var answer = await controller.RequestAsync(request);

        Assert.True(answer.Is(out Response<RetrainRejected>? rejected));
        Assert.Equal("epochs must be between 1 and 30", rejected.Message.Reason);
        await controller.StateAsync(request.TrainingId, "Refused");
        Assert.Equal(RetrainSettled.Refused, Assert.Single(await controller.SettledAsync(request.TrainingId)).Outcome);
        Assert.Empty(controller.Started());
    }

    [Fact]
    public async Task TheSameRequestTwiceIsOneTraining()
    {
        await using var controller = await ControllerHost.StartAsync(modelPath);
        var request = ControllerHost.Request();

        await controller.RequestAsync(request);
        var again = await controller.RequestAsync(request);

        Assert.True(again.Is(out Response<RetrainAccepted>? accepted));
        Assert.Equal(request.TrainingId, accepted.Message.TrainingId);
        Assert.Single(controller.Started());
        Assert.Single(controller.Trainings.All());
    }

    [Fact]
    public async Task ACandidateTheGatePassedServesAtOnceAndItsActivationNamesItsTraining()
    {
        await using var controller = await ControllerHost.StartAsync(modelPath);
        var served = Serving(controller.Registry);
        var request = ControllerHost.Request();
        await controller.RequestAsync(request);
        var candidate = Models.SaveUntrainedVersion(controller.Registry);

        await controller.PublishAsync(controller.Judged(request.TrainingId, candidate.Version, passed: true));

        await controller.StateAsync(request.TrainingId, "Promoted");
        Assert.Equal(candidate.Version, controller.Registry.ActiveVersion);
        var activated = Assert.Single(controller.Harness.PublishedSoFar<ModelActivated>());
        Assert.Equal((candidate.Version, served, request.TrainingId), (activated.Version, activated.Previous, activated.TrainingId));
        Assert.Equal(request.TrainingId, controller.Registry.History()[^1].TrainingId);
        Assert.Equal(RetrainSettled.Promoted, Assert.Single(await controller.SettledAsync(request.TrainingId)).Outcome);
    }

    [Fact]
    public async Task AWaitingCandidateServesOnceTheLiveReplicasTogetherComparedAsManyDigitsAsAsked()
    {
        await using var controller = await ControllerHost.StartAsync(modelPath);
        var served = Serving(controller.Registry);
        var (request, candidate) = await WaitingAsync(controller, 100);

        await controller.PublishAsync(Report("replica-a", candidate, served, 60));
        await controller.PublishAsync(Report("replica-b", candidate, served, 30));
        // Each report is a replica's count so far: a second report from replica-b replaces its first.
        await controller.PublishAsync(Report("replica-b", candidate, served, 35));
        await Poll.Until(() => Task.FromResult(controller.Harness.ConsumedSoFar<ShadowReported>().Count >= 3), "the reports consumed");
        Assert.Equal("AwaitingShadow", controller.Trainings.Find(request.TrainingId)!.CurrentState);
        Assert.Equal(served, controller.Registry.ActiveVersion);

        await controller.PublishAsync(Report("replica-b", candidate, served, 40));

        await controller.StateAsync(request.TrainingId, "Promoted");
        Assert.Equal(candidate, controller.Registry.ActiveVersion);
        Assert.Null(controller.Registry.Shadow);
        var decision = controller.Registry.Decision(candidate)!;
        Assert.Contains("shadowed on 100 live digits (of 100 asked) by 2 replica(s)", decision.Reason);
        Assert.Equal(request.TrainingId, controller.Harness.PublishedSoFar<ModelActivated>().Single().TrainingId);
        Assert.Equal(RetrainSettled.Promoted, Assert.Single(await controller.SettledAsync(request.TrainingId)).Outcome);
    }

    [Fact]
    public async Task ANewerPromotionSupersedesAWaitingCandidateNamingItAndNoLaterReportServesTheOlder()
    {
        await using var controller = await ControllerHost.StartAsync(modelPath);
        var served = Serving(controller.Registry);
        var (waiting, older) = await WaitingAsync(controller, 100);
        var newer = ControllerHost.Request();
        await controller.RequestAsync(newer);
        var newerVersion = Models.SaveUntrainedVersion(controller.Registry).Version;

        await controller.PublishAsync(controller.Judged(newer.TrainingId, newerVersion, passed: true));
        await controller.StateAsync(newer.TrainingId, "Promoted");
        var superseded = await controller.StateAsync(waiting.TrainingId, "Superseded");
        await controller.PublishAsync(Report("replica-a", older, served, 1000));
        await Poll.Until(() => Task.FromResult(controller.Harness.ConsumedSoFar<ShadowReported>().Count > 0), "the late report consumed");

        Assert.Equal(newerVersion, controller.Registry.ActiveVersion);
        Assert.Contains($"{newerVersion} was activated", superseded.Reason);
        var settled = Assert.Single(await controller.SettledAsync(waiting.TrainingId));
        Assert.Equal((RetrainSettled.Superseded, older), (settled.Outcome, settled.Version));
        Assert.Contains(newerVersion, settled.Reason);
        Assert.Single(await controller.SettledAsync(newer.TrainingId));
        Assert.DoesNotContain(controller.Harness.PublishedSoFar<ModelActivated>(), m => m.Version == older);
        Assert.Null(controller.Registry.Shadow);
    }

    [Fact]
    public async Task APersonServingAnotherVersionSupersedesAWaitingCandidateAndServingItPromotesIt()
    {
        await using var controller = await ControllerHost.StartAsync(modelPath);
        var served = Serving(controller.Registry);
        var (first, firstVersion) = await WaitingAsync(controller, 100);

        var answer = await controller.ActivateAsync(served);

        Assert.True(answer.Is(out Response<ModelActivated>? activated) && activated.Message.TrainingId is null);
        var superseded = await controller.StateAsync(first.TrainingId, "Superseded");
        Assert.Contains($"{served} was activated (a test's person)", superseded.Reason);
        Assert.Null(controller.Registry.Shadow);

        var (second, secondVersion) = await WaitingAsync(controller, 100);
        await controller.ActivateAsync(secondVersion);
        var promoted = await controller.StateAsync(second.TrainingId, "Promoted");
        Assert.Contains("served by hand (a test's person)", promoted.Reason);
        Assert.Equal(secondVersion, controller.Registry.ActiveVersion);
        Assert.NotEqual(firstVersion, controller.Registry.ActiveVersion);
    }

    [Fact]
    public async Task ACandidateWaitingWhenANewerOneIsShadowedInItsPlaceIsSuperseded()
    {
        await using var controller = await ControllerHost.StartAsync(modelPath);
        Serving(controller.Registry);
        var (first, _) = await WaitingAsync(controller, 100);

        var (second, secondVersion) = await WaitingAsync(controller, 100);

        var superseded = await controller.StateAsync(first.TrainingId, "Superseded");
        Assert.Contains($"a newer candidate, {secondVersion}", superseded.Reason);
        Assert.Equal(secondVersion, controller.Registry.Shadow!.Version);
        Assert.Equal("AwaitingShadow", controller.Trainings.Find(second.TrainingId)!.CurrentState);
    }

    [Fact]
    public async Task ATrainingNotHeardFromForTheSilenceFailsAndTheNextInLineStarts()
    {
        var time = new ManualTime();
        await using var controller = await ControllerHost.StartAsync(modelPath, time, ("Controller:TrainingSilenceMinutes", "15"));
        var silent = ControllerHost.Request();
        var next = ControllerHost.Request();
        await controller.RequestAsync(silent);
        await controller.RequestAsync(next);
        await controller.PublishAsync(new TrainingStarted(silent.TrainingId, "mlp", 1, 64, 1, 500, "a worker", time.Now));
        await controller.StateAsync(silent.TrainingId, "Training");

        time.Now += TimeSpan.FromMinutes(16);

        var failed = await controller.StateAsync(silent.TrainingId, "Failed");
        Assert.Contains("not heard from for 15 min", failed.Reason);
        await Poll.Until(() => Task.FromResult(controller.Started().Count == 2), "the next training started");
        Assert.Equal(RetrainSettled.Failed, Assert.Single(await controller.SettledAsync(silent.TrainingId)).Outcome);
    }

    [Fact]
    public async Task AWaitingCandidateSurvivesARestartOfTheControllerAndSettlesOnce()
    {
        Guid trainingId;
        string candidate, served;
        await using (var before = await ControllerHost.StartAsync(modelPath))
        {
            served = Serving(before.Registry);
            (var request, candidate) = await WaitingAsync(before, 50);
            trainingId = request.TrainingId;
            Assert.Empty(before.Settled(trainingId));
        }

        await using var after = await ControllerHost.StartAsync(modelPath);
        await after.PublishAsync(Report("replica-a", candidate, served, 50));

        await after.StateAsync(trainingId, "Promoted");
        Assert.Equal(candidate, after.Registry.ActiveVersion);
        Assert.Single(await after.SettledAsync(trainingId));
    }

    // A version serving, as a controller's earlier activation leaves it.
    [Fact]
    public async Task ItsMessagesAreTakenInTheOrderTheyArrivedThoughTheFirstIsSlowerToRead()
    {
        // A training asked for, then ended, in that order. Taken the other way round, its end would make a record without
        // the cause it was asked for, and the ask, coming after it, would be dropped as late: the policy, restarted, would
        // fire that cause again. The ask is slower on its way to the state machine (here: held a moment before it is
        // consumed, as a preempted thread or a larger message holds it), and still goes first.
        await using var controller = await ControllerHost.StartAsync(modelPath);
        using var _ = controller.Harness.Bus.ConnectConsumeObserver(new SlowToRead<PolicyAsked>(TimeSpan.FromMilliseconds(300)));
        var queue = await controller.Harness.Bus.GetSendEndpoint(RetrainStateMachineDefinition.Address);
        var training = NewId.NextGuid();

        await queue.Send(new PolicyAsked(ControllerHost.Request() with { TrainingId = training }, "corrections", "a cause"));
        await controller.PublishAsync(new TrainingFailed(training, "ended at once", DateTimeOffset.UtcNow));

        var failed = await controller.StateAsync(training, "Failed");
        Assert.Equal(("corrections", "a cause"), (failed.Rule, failed.Cause));
    }

    private static string Serving(ModelRegistry registry)
    {
        var version = Models.SaveUntrainedVersion(registry).Version;
        registry.Activate(version, "a test");
        return version;
    }

    // A training whose candidate the gate passed and that waits to be shadowed on `digits` live digits.
    private static async Task<(RequestRetrain Request, string Version)> WaitingAsync(ControllerHost controller, long digits)
    {
        var request = ControllerHost.Request(shadowPredictions: digits);
        await controller.RequestAsync(request);
        var version = Models.SaveUntrainedVersion(controller.Registry).Version;
        await controller.PublishAsync(controller.Judged(request.TrainingId, version, passed: true, digits));
        await controller.StateAsync(request.TrainingId, "AwaitingShadow");
        return (request, version);
    }

    private static ShadowReported Report(string replica, string candidate, string active, long compared) =>
        new(replica, candidate, active, compared, compared, 0.9, 0.9, 0.1, 0.1, DateTimeOffset.UtcNow);
}
