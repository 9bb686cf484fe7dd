using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Launcher;

/// <summary>
/// Training Jobs through the Kubernetes API, with exactly the calls k8s/'s launcher Role grants: get the template
/// CronJob; create, list, get and delete Jobs; list pods.
/// </summary>
public sealed class TrainingJobs(IKubernetes kubernetes, IOptions<LauncherOptions> options, TimeProvider time)
{
    private const string TrainerContainer = "trainer";

    // A pod that hits one of these never runs without someone changing something.
    private static readonly HashSet<string> StuckReasons =
        ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError"];

    private LauncherOptions Options => options.Value;

    /// <summary>Every launched Job still running, by name and training id: what a restarted launcher goes on watching.</summary>
    public async Task<IReadOnlyList<(string Name, Guid TrainingId)>> UnfinishedAsync(CancellationToken cancellationToken) =>
        (await UnfinishedJobsAsync(cancellationToken))
            .Select(j => (j.Metadata.Name, Guid.TryParse(Label(j, TrainingJobLabels.TrainingId), out var id) ? id : Guid.Empty))
            .Where(j => j.Item2 != Guid.Empty)
            .ToList();

    /// <summary>
    /// Creates the Job for <paramref name="request"/> from the template CronJob's job template; returns its name. A Job of
    /// that name already there is this training's (a redelivered command): it is not made twice.
    /// </summary>
    public async Task<string> LaunchAsync(StartTraining request, CancellationToken cancellationToken)
    {
        var template = await kubernetes.BatchV1.ReadNamespacedCronJobAsync(Options.TemplateName, Options.Namespace, cancellationToken: cancellationToken);
        var job = Build(template, request);
        try
        {
            await kubernetes.BatchV1.CreateNamespacedJobAsync(job, Options.Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Already created for this training id.
        }
        return job.Metadata.Name;
    }

    public V1Job Build(V1CronJob template, StartTraining request)
    {
        // A deep copy: the template is only read.
        var spec = KubernetesJson.Deserialize<V1JobSpec>(KubernetesJson.Serialize(template.Spec.JobTemplate.Spec));
        var id = request.TrainingId.ToString("N");
        var labels = new Dictionary<string, string>(template.Spec.JobTemplate.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            [TrainingJobLabels.ManagedBy] = TrainingJobLabels.Launcher,
            [TrainingJobLabels.TrainingId] = id,
        };
        spec.BackoffLimit = Options.BackoffLimit;
        spec.PodFailurePolicy = FailurePolicy;
        spec.TtlSecondsAfterFinished = Options.TtlSecondsAfterFinished;
        spec.ActiveDeadlineSeconds = Options.ActiveDeadlineSeconds;
        spec.Template.Metadata ??= new V1ObjectMeta();
        spec.Template.Metadata.Labels = new Dictionary<string, string>(spec.Template.Metadata.Labels ?? new Dictionary<string, string>())
        {
            [TrainingJobLabels.TrainingId] = id,
        };
        var trainer = spec.Template.Spec.Containers.SingleOrDefault(c => c.Name == TrainerContainer)
            ?? throw new InvalidOperationException($"CronJob {Options.TemplateName} has no container '{TrainerContainer}' to train with");
        trainer.Args = TrainingArguments.Apply(trainer.Args ?? [], request);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = $"trainer-{id}", NamespaceProperty = Options.Namespace, Labels = labels },
            Spec = spec,
        };
    }

    public async Task<JobState> StateAsync(string name, CancellationToken cancellationToken)
    {
        V1Job job;
        try
        {
            job = await kubernetes.BatchV1.ReadNamespacedJobAsync(name, Options.Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return JobState.Gone;
        }
        if (Condition(job, "Complete")) return JobState.Succeeded;
        var pods = await kubernetes.CoreV1.ListNamespacedPodAsync(Options.Namespace, labelSelector: $"{TrainingJobLabels.JobName}={name}", cancellationToken: cancellationToken);
        if (job.Status?.Conditions?.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True") is { } failed)
        {
            var reason = $"the training Job failed ({failed.Reason}): {failed.Message}";
            return pods.Items.Any(TrainerAnnouncedItsFailure) ? new JobState(JobPhase.FailureAnnounced, reason) : new JobState(JobPhase.Failed, reason);
        }

        foreach (var pod in pods.Items)
        {
            foreach (var status in (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? []))
            {
                if (status.State?.Waiting is { Reason: { } reason } waiting && StuckReasons.Contains(reason))
                    return new JobState(JobPhase.CannotStart, $"the training pod {pod.Metadata.Name} cannot start ({reason}): {waiting.Message}");
            }
            var created = pod.Metadata.CreationTimestamp ?? job.Metadata.CreationTimestamp ?? time.GetUtcNow().UtcDateTime;
            if (pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False") is { } unscheduled
                && time.GetUtcNow().UtcDateTime - created > TimeSpan.FromSeconds(Options.StartTimeoutSeconds))
                return new JobState(JobPhase.CannotStart,
                    $"the training pod {pod.Metadata.Name} was not scheduled within {Options.StartTimeoutSeconds:0} s ({unscheduled.Reason}): {unscheduled.Message}");
        }
        return JobState.Running;
    }

    /// <summary>Removes a Job that will never run, with its pods, so the next request is not refused because of it.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await kubernetes.BatchV1.DeleteNamespacedJobAsync(name, Options.Namespace, propagationPolicy: "Background", cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Already gone: what deleting it was for.
        }
    }

    private async Task<IEnumerable<V1Job>> UnfinishedJobsAsync(CancellationToken cancellationToken)
    {
        var jobs = await kubernetes.BatchV1.ListNamespacedJobAsync(Options.Namespace, labelSelector: TrainingJobLabels.Selector, cancellationToken: cancellationToken);
        return jobs.Items.Where(j => !Finished(j));
    }

    private static string? Label(V1Job job, string key) => job.Metadata.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    /// <summary>
    /// A trainer that exits with <see cref="TrainerExitCodes.Failed"/> has announced <c>TrainingFailed</c> itself, and
    /// one that exits with <see cref="TrainerExitCodes.BadUsage"/> would fail the same way again: neither is retried.
    /// </summary>
    public static V1PodFailurePolicy FailurePolicy => new()
    {
        Rules =
        [
            new V1PodFailurePolicyRule
            {
                Action = "FailJob",
                OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement
                {
                    ContainerName = TrainerContainer, OperatorProperty = "In", Values = [TrainerExitCodes.Failed, TrainerExitCodes.BadUsage],
                },
            },
        ],
    };

    private static bool TrainerAnnouncedItsFailure(V1Pod pod) =>
        (pod.Status?.ContainerStatuses ?? []).Any(s => s.Name == TrainerContainer && s.State?.Terminated?.ExitCode == TrainerExitCodes.Failed);

    private static bool Finished(V1Job job) => Condition(job, "Complete") || Condition(job, "Failed");

    private static bool Condition(V1Job job, string type) => job.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;
}
