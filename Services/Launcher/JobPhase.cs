namespace MnistEvents.Launcher;

public enum JobPhase
{
    Running,
    Succeeded,
    Failed,
    /// <summary>Failed, and its trainer announced <c>TrainingFailed</c> itself before it exited.</summary>
    FailureAnnounced,
    CannotStart,
    Gone,
}
