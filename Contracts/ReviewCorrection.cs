namespace MnistEvents.Contracts;

/// <summary>
/// Command (a request to the controller): an admin's verdict on the correction of prediction <paramref name="PredictionId"/>:
/// <c>accepted</c> (trained on even where the trust rules hold it back), <c>rejected</c> (never trained on) or
/// <c>deleted</c> (gone, its place in its client's share freed), asked by <paramref name="RequestedBy"/>. Answered with
/// <see cref="CorrectionReviewed"/>, or <see cref="LifecycleCommandRefused"/>.
/// </summary>
public sealed record ReviewCorrection(Guid PredictionId, string Verdict, string RequestedBy)
{
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Deleted = "deleted";
}
