namespace MnistEvents.Registry;

/// <summary>An admin's verdict on one correction, a JSON line of <see cref="ModelVolume.CorrectionReviewsPath"/>; the latest per prediction id holds.</summary>
public sealed record CorrectionReview(Guid PredictionId, CorrectionVerdict Verdict, string By, DateTimeOffset At);
