namespace MnistEvents.Gateway.Feedback;

/// <summary>The body of <c>POST /feedback</c>: "prediction <paramref name="PredictionId"/> was really a <paramref name="Label"/>".</summary>
public sealed record FeedbackRequest(Guid? PredictionId, int? Label);
