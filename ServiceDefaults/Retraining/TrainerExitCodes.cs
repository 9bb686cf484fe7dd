namespace MnistEvents.ServiceDefaults.Retraining;

/// <summary>
/// How the trainer's command line ends, which the Kubernetes Job and the launcher read: a failure the trainer announced
/// itself (<c>TrainingFailed</c> on the bus) is not retried and not announced again; one it could not announce is.
/// </summary>
public static class TrainerExitCodes
{
    public const int Ok = 0;

    /// <summary>The training failed and said why (<c>TrainingFailed</c>, and on the console).</summary>
    public const int Failed = 1;

    /// <summary>The command line or its settings cannot run (an unknown flag, settings <see cref="RetrainRules"/> refuses).</summary>
    public const int BadUsage = 2;

    /// <summary>The training failed and even its <c>TrainingFailed</c> could not be published (the broker was away).</summary>
    public const int FailedUnannounced = 3;
}
