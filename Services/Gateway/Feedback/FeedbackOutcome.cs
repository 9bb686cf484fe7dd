namespace MnistEvents.Gateway.Feedback;

/// <summary>What <see cref="FeedbackStore.AddAsync"/> did with a correction.</summary>
public enum FeedbackOutcome
{
    Recorded,
    AlreadyCorrected,
    Full,
}
