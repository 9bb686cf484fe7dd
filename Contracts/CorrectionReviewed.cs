namespace MnistEvents.Contracts;

/// <summary>The controller's answer to a <see cref="ReviewCorrection"/> it kept: the correction, and the verdict that now stands.</summary>
public sealed record CorrectionReviewed(Guid PredictionId, string Verdict);
