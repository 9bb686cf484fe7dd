using k8s;
using k8s.Models;
using MnistEvents.Contracts;
using MnistEvents.KubernetesTests.Support;
using MnistEvents.Launcher;
using MassTransit;
using MnistEvents.ServiceDefaults.Retraining;
using MnistEvents.TestSupport;
using MnistEvents.Trainer.Cli;

namespace MnistEvents.KubernetesTests.Launcher;

/// <summary>The training launcher against a fake API server: the Jobs it makes, how it follows them, and the calls it makes.</summary>
public class LauncherTests
{
    [Fact]
    public async Task ARetrainRequestBecomesAJobMadeFromTheTemplateWithTheRequestsSettings()
    {
        await using var launcher = await LauncherHost.StartAsync();
        var request = LauncherHost.Request(epochs: 2, limit: 3000, learningRate: 0.5);

        await launcher.RequestAsync(request);

        var job = Assert.Single(launcher.Api.Jobs.Values);
        var id = request.TrainingId.ToString("N");
        Assert.Equal($"trainer-{id}", job.Metadata.Name);
        Assert.Equal(LauncherHost.Namespace, job.Metadata.NamespaceProperty);
        Assert.Equal(TrainingJobLabels.Launcher, job.Metadata.Labels[TrainingJobLabels.ManagedBy]);
        Assert.Equal(id, job.Metadata.Labels[TrainingJobLabels.TrainingId]);
        Assert.Equal(id, job.Spec.Template.Metadata.Labels[TrainingJobLabels.TrainingId]);
        Assert.Equal(new LauncherOptions().BackoffLimit, job.Spec.BackoffLimit);
        Assert.Equal(new LauncherOptions().TtlSecondsAfterFinished, job.Spec.TtlSecondsAfterFinished);
        Assert.Equal(new LauncherOptions().ActiveDeadlineSeconds, job.Spec.ActiveDeadlineSeconds);
        Assert.Equal(KubernetesJson.Serialize(TrainingJobs.FailurePolicy), KubernetesJson.Serialize(job.Spec.PodFailurePolicy));

        var trainer = job.Spec.Template.Spec.Containers.Single();
        var arguments = TrainerArgumentParser.Parse([.. trainer.Args]);
        var template = TrainerArgumentParser.Parse([.. launcher.Template.Spec.JobTemplate.Spec.Template.Spec.Containers.Single().Args]);
        Assert.Equal((2, 3000, 0.5, request.TrainingId), (arguments.Training.Epochs, arguments.Training.Limit, arguments.Training.LearningRate, arguments.TrainingId));
        Assert.Equal(request.RequestedBy, arguments.RequestedBy);
        Assert.Equal((template.SaveModel, template.SaveModelPath), (arguments.SaveModel, arguments.SaveModelPath));

        // Everything else is the template's: image, env, volumes, security, resources.
        var expected = KubernetesJson.Deserialize<V1PodSpec>(KubernetesJson.Serialize(launcher.Template.Spec.JobTemplate.Spec.Template.Spec));
        expected.Containers.Single().Args = trainer.Args;
        Assert.Equal(KubernetesJson.Serialize(expected), KubernetesJson.Serialize(job.Spec.Template.Spec));
    }

    [Fact]
    public void ARequestersWordsThatLookLikeFlagsStayItsWordsInTheJobsArguments()
    {
        var request = LauncherHost.Request() with { RequestedBy = "--save-model-path /etc/evil --epochs 30" };

        var parsed = TrainerArgumentParser.Parse(TrainingArguments.Apply(["--epochs", "1", "--save-model", "--save-model-path", "/models/mnist.pt"], request));

        Assert.Equal(request.RequestedBy, parsed.RequestedBy);
        Assert.Equal(("/models/mnist.pt", 1), (parsed.SaveModelPath, parsed.Training.Epochs));
    }

    [Fact]
    public async Task TheSameTrainingDeliveredTwiceMakesOneJob()
    {
        await using var launcher = await LauncherHost.StartAsync();
        var request = LauncherHost.Request();

        await launcher.RequestAsync(request);
        await launcher.RequestAsync(request);
        // The second copy is consumed once its create, refused as a name already taken, has been tried.
        await Poll.Until(() => Task.FromResult(launcher.Api.Calls.Count(c => c is { Verb: "create", Resource: "jobs" }) == 2), "the second copy's create tried");

        Assert.Equal($"trainer-{request.TrainingId:N}", Assert.Single(launcher.Api.Jobs.Keys));
        Assert.False(await launcher.Harness.Published.Any<Fault<StartTraining>>());
    }

    [Fact]
    public async Task AJobThatFailsBecomesTrainingFailedWithItsReason()
    {
        await using var launcher = await LauncherHost.StartAsync();
        var request = LauncherHost.Request();
        await launcher.RequestAsync(request);
        var job = Assert.Single(launcher.Api.Jobs.Values);

        job.Status = new V1JobStatus { Failed = 2, Conditions = [new V1JobCondition { Type = "Failed", Status = "True", Reason = "BackoffLimitExceeded", Message = "Job has reached the specified backoff limit" }] };

        Assert.True(await launcher.Harness.Published.Any<TrainingFailed>(f => f.Context.Message.TrainingId == request.TrainingId
            && f.Context.Message.Reason.Contains("BackoffLimitExceeded", StringComparison.Ordinal)
            && f.Context.Message.Reason.Contains("backoff limit", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AJobWhoseTrainerAnnouncedItsFailureIsNotAnnouncedAgain()
    {
        await using var launcher = await LauncherHost.StartAsync();
        var request = LauncherHost.Request();
        await launcher.RequestAsync(request);
        var job = Assert.Single(launcher.Api.Jobs.Values);

        // The trainer published TrainingFailed and exited 1; the pod failure policy failed the Job at once.
        launcher.Api.Pods["p"] = ExitedPod(job.Metadata.Name, TrainerExitCodes.Failed);
        job.Status = new V1JobStatus { Failed = 1, Conditions = [new V1JobCondition { Type = "Failed", Status = "True", Reason = "PodFailurePolicy", Message = "Container trainer for pod mnist/p failed with exit code 1 matching FailJob rule at index 0" }] };

        await Poll.Until(() => Task.FromResult(!launcher.Watcher.IsWatching(job.Metadata.Name)), "the watch over the failed Job ended");
        Assert.False(await launcher.Harness.Published.Any<TrainingFailed>(f => f.Context.Message.TrainingId == request.TrainingId));
    }

    [Fact]
    public async Task AJobWhoseTrainerWasKilledBeforeSayingWhyBecomesTrainingFailedOnce()
    {
        await using var launcher = await LauncherHost.StartAsync();
        var request = LauncherHost.Request();
        await launcher.RequestAsync(request);
        var job = Assert.Single(launcher.Api.Jobs.Values);

        launcher.Api.Pods["p"] = ExitedPod(job.Metadata.Name, 137);
        job.Status = new V1JobStatus { Failed = 2, Conditions = [new V1JobCondition { Type = "Failed", Status = "True", Reason = "BackoffLimitExceeded", Message = "Job has reached the specified backoff limit" }] };

        await Poll.Until(() => Task.FromResult(!launcher.Watcher.IsWatching(job.Metadata.Name)), "the watch over the failed Job ended");
        Assert.Single(launcher.Harness.Published.Select<TrainingFailed>(f => f.Context.Message.TrainingId == request.TrainingId));
    }

    [Fact]
    public async Task APodThatCannotStartFailsTheTrainingAndItsJobIsRemoved()
    {
        await using var launcher = await LauncherHost.StartAsync();
        var request = LauncherHost.Request();
        await launcher.RequestAsync(request);
        var job = Assert.Single(launcher.Api.Jobs.Values);

        launcher.Api.Pods["p"] = StuckPod(job.Metadata.Name, "ImagePullBackOff", "Back-off pulling image \"mnistevents/trainer:0.1.0\"");

        Assert.True(await launcher.Harness.Published.Any<TrainingFailed>(f => f.Context.Message.TrainingId == request.TrainingId
            && f.Context.Message.Reason.Contains("ImagePullBackOff", StringComparison.Ordinal)));
        await Poll.Until(() => Task.FromResult(launcher.Api.Jobs.IsEmpty), "the stuck Job deleted");
    }

    [Fact]
    public async Task AJobThatSucceedsEndsItsWatchWithoutAFailure()
    {
        await using var launcher = await LauncherHost.StartAsync();
        var request = LauncherHost.Request();
        await launcher.RequestAsync(request);
        var job = Assert.Single(launcher.Api.Jobs.Values);
        Assert.True(launcher.Watcher.IsWatching(job.Metadata.Name));

        job.Status = new V1JobStatus { Succeeded = 1, Conditions = [new V1JobCondition { Type = "Complete", Status = "True" }] };

        await Poll.Until(() => Task.FromResult(!launcher.Watcher.IsWatching(job.Metadata.Name)), "the watch over the finished Job ended");
        Assert.False(await launcher.Harness.Published.Any<TrainingFailed>(f => f.Context.Message.TrainingId == request.TrainingId));
        Assert.Single(launcher.Api.Jobs);
    }

    [Fact]
    public async Task ARestartedLauncherGoesOnWatchingTheTrainingStillRunning()
    {
        var trainingId = Guid.NewGuid();
        await using var launcher = await LauncherHost.StartAsync(api => api.Jobs["trainer-before"] = new V1Job
        {
            Metadata = new V1ObjectMeta
            {
                Name = "trainer-before",
                Labels = new Dictionary<string, string> { [TrainingJobLabels.ManagedBy] = TrainingJobLabels.Launcher, [TrainingJobLabels.TrainingId] = trainingId.ToString("N") },
            },
            Status = new V1JobStatus { Active = 1 },
        });
        await Poll.Until(() => Task.FromResult(launcher.Watcher.IsWatching("trainer-before")), "the running Job picked up");

        launcher.Api.Jobs["trainer-before"].Status = new V1JobStatus { Conditions = [new V1JobCondition { Type = "Failed", Status = "True", Reason = "DeadlineExceeded", Message = "too slow" }] };

        Assert.True(await launcher.Harness.Published.Any<TrainingFailed>(f => f.Context.Message.TrainingId == trainingId));
    }

    [Fact]
    public async Task TheLauncherCallsExactlyWhatItsRoleGrants()
    {
        // Every path that talks to the API: resume at start, launch, follow, give up on a pod that cannot start.
        await using var launcher = await LauncherHost.StartAsync();
        var request = LauncherHost.Request();
        await launcher.RequestAsync(request);
        var job = launcher.Api.Jobs.Values.Single();
        launcher.Api.Pods["p"] = StuckPod(job.Metadata.Name, "CreateContainerConfigError", "secret \"broker-credentials\" not found");
        Assert.True(await launcher.Harness.Published.Any<TrainingFailed>(f => f.Context.Message.TrainingId == request.TrainingId));
        await Poll.Until(() => Task.FromResult(launcher.Api.Jobs.IsEmpty), "the stuck Job deleted");

        var role = Manifests.Of("k8s").Single<V1Role>("launcher");
        var granted = role.Rules.SelectMany(r => r.ApiGroups.SelectMany(g => r.Resources.SelectMany(res => r.Verbs.Select(v => (v, g, res))))).ToHashSet();
        var called = launcher.Api.Calls.Select(c => (c.Verb, c.Group, c.Resource)).ToHashSet();
        Assert.Equal(granted.Order(), called.Order());

        // Where the Role names the objects a verb may touch, the launcher touched no other.
        foreach (var rule in role.Rules.Where(r => r.ResourceNames is { Count: > 0 }))
            Assert.All(launcher.Api.Calls.Where(c => rule.Resources.Contains(c.Resource) && rule.Verbs.Contains(c.Verb)), c => Assert.Contains(c.Name, rule.ResourceNames));
        var binding = Manifests.Of("k8s").Single<V1RoleBinding>("launcher");
        Assert.Equal(("Role", "launcher"), (binding.RoleRef.Kind, binding.RoleRef.Name));
        Assert.Equal("launcher", Assert.Single(binding.Subjects).Name);
    }

    private static V1Pod ExitedPod(string job, int exitCode) =>
        Pod(job, "Failed", new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode } });

    private static V1Pod StuckPod(string job, string reason, string message) =>
        Pod(job, "Pending", new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } });

    private static V1Pod Pod(string job, string phase, V1ContainerState trainer) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{job}-x", Labels = new Dictionary<string, string> { [TrainingJobLabels.JobName] = job } },
        Status = new V1PodStatus
        {
            Phase = phase,
            ContainerStatuses =
            [
                new V1ContainerStatus { Name = "trainer", Image = "mnistevents/trainer:0.1.0", ImageID = "", Ready = false, RestartCount = 0, State = trainer },
            ],
        },
    };
}
