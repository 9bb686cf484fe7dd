namespace MnistEvents.Launcher;

/// <summary>Where a training Job stands: still going, done, or failed (or unable to start) with the reason in words.</summary>
public sealed record JobState(JobPhase Phase, string? Reason = null)
{
    public static readonly JobState Running = new(JobPhase.Running);
    public static readonly JobState Succeeded = new(JobPhase.Succeeded);
    public static readonly JobState Gone = new(JobPhase.Gone, "the Job was deleted before it finished");
}
