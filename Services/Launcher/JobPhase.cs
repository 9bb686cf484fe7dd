namespace MnistEvents.Launcher;

public enum JobPhase
{
    Running,
    Succeeded,
    Failed,
    CannotStart,
    Gone,
}
