namespace MnistEvents.Launcher;

/// <summary>The labels that mark a training Job as this launcher's, and which training it runs.</summary>
public static class TrainingJobLabels
{
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string Launcher = "mnistevents-launcher";
    public const string TrainingId = "mnistevents.io/training-id";

    /// <summary>Kubernetes labels every pod of a Job with its name.</summary>
    public const string JobName = "job-name";

    public static string Selector => $"{ManagedBy}={Launcher}";
}
