namespace MnistEvents.FaultTests;

public enum OutcomeKind
{
    Answered,
    Refused,
    Lost,
}
