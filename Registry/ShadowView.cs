namespace MnistEvents.Registry;

/// <summary>
/// The shadowed candidate beside the served model, summed over the live replicas: digits compared, the share they
/// agreed on, each model's mean confidence in its own answers, and each one's mean forward pass per digit;
/// <paramref name="PromoteAfter"/>: the digits to compare before the candidate, waiting on them, is promoted.
/// </summary>
public sealed record ShadowView(string Candidate, long Compared, long Agreed, double Agreement, double CandidateConfidence,
    double ActiveConfidence, double CandidateMsPerDigit, double ActiveMsPerDigit, IReadOnlyList<string> Replicas, long? PromoteAfter = null)
{
    /// <summary>What is kept with the version when its shadowing ends.</summary>
    public ShadowComparison Comparison() => new(Compared, Agreed, CandidateConfidence, ActiveConfidence, CandidateMsPerDigit, ActiveMsPerDigit);
}
