namespace MnistEvents.Contracts;

/// <summary>
/// One replica's running comparison of a shadowed candidate with the model it serves: digits both classified, how many
/// they agreed on, each model's mean confidence in its own answer, and each one's forward pass per digit on those batches
/// (the candidate's in CPU time, since it runs only on CPU the served model leaves; the served model's as it answered).
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
    double ActiveMsPerDigit,
    DateTimeOffset At);
