namespace MnistEvents.Contracts;

/// <summary>
/// One replica's running comparison of a shadowed candidate with the model it serves: digits both classified, how many
/// they agreed on, each model's mean confidence in its own answer, and the candidate's mean forward pass per digit.
/// </summary>
public sealed record ShadowReported(
    string Replica,
    string Candidate,
    string? Active,
    long Compared,
    long Agreed,
    double CandidateConfidence,
    double ActiveConfidence,
    double CandidateMsPerDigit,
    DateTimeOffset At);
