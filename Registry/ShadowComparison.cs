namespace MnistEvents.Registry;

/// <summary>
/// What shadowing a version showed by the time it ended (its promotion settled, or the shadowing stopped or moved on):
/// digits compared with the served model, how many both answered alike, each model's mean confidence in its own
/// answers, each one's forward pass per digit.
/// </summary>
public sealed record ShadowComparison(long Compared, long Agreed, double CandidateConfidence, double ActiveConfidence, double CandidateMsPerDigit,
    double ActiveMsPerDigit);
