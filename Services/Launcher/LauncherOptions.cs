using System.ComponentModel.DataAnnotations;

namespace MnistEvents.Launcher;

/// <summary>The <c>Launcher</c> configuration section, checked when the launcher starts.</summary>
public sealed class LauncherOptions
{
    public const string Section = "Launcher";

    /// <summary>The namespace the launcher creates Jobs in: its own (POD_NAMESPACE from the downward API in k8s/).</summary>
    [Required]
    public string Namespace { get; set; } = "mnist";

    /// <summary>The suspended CronJob whose job template every training Job is made from (k8s/base/trainer-template.yaml).</summary>
    [Required]
    public string TemplateName { get; set; } = "trainer-template";

    /// <summary>The API server to use instead of the pod's in-cluster configuration (tests, or a launcher run outside the cluster).</summary>
    [Url]
    public string? ApiServer { get; set; }

    /// <summary>How long a finished training Job (and its pod's log) stays before Kubernetes removes it.</summary>
    [Range(0, 30 * 24 * 3600)]
    public int TtlSecondsAfterFinished { get; set; } = 3600;

    /// <summary>
    /// How long a training Job may run before Kubernetes stops it (DeadlineExceeded, which the launcher reports as
    /// TrainingFailed): a trainer stuck without dying holds the one training slot no longer than this.
    /// </summary>
    [Range(60, 7 * 24 * 3600)]
    public int ActiveDeadlineSeconds { get; set; } = 6 * 3600;

    /// <summary>Retries of a training pod that exits with an error before its Job counts as failed.</summary>
    [Range(0, 10)]
    public int BackoffLimit { get; set; } = 1;

    /// <summary>How often a running training Job and its pods are looked at.</summary>
    [Range(0.05, 600)]
    public double PollSeconds { get; set; } = 2;

    /// <summary>A training pod not scheduled within this long is given up (its Job deleted, TrainingFailed published).</summary>
    [Range(1, 24 * 3600)]
    public double StartTimeoutSeconds { get; set; } = 300;
}
