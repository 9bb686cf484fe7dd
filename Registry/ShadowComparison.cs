namespace MnistEvents.Registry;

/// <summary>
/// What shadowing showed when a promotion that waited on it was settled: digits compared with the served model, how many
/// both answered alike, each model's mean confidence in its own answers, the candidate's forward pass per digit.
/// </summary>
public sealed record ShadowComparison(long Compared, long Agreed, double CandidateConfidence, double ActiveConfidence, double CandidateMsPerDigit);
