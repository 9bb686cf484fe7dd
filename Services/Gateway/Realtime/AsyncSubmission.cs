namespace MnistEvents.Gateway.Realtime;

/// <summary>The 202 answer of <c>POST /predictions</c>, one item per uploaded file, in order.</summary>
public sealed record AsyncSubmission(IReadOnlyList<AsyncSubmissionItem> Items);
