namespace MnistEvents.Gateway.AsyncPredictions;

/// <summary>One file of a <c>POST /predictions</c>: accepted with an id (its result is pushed, or fetched at <c>/predictions/{id}</c>), or rejected with the reason.</summary>
public sealed record AsyncSubmissionItem(string File, Guid? Id, string Status, string? Detail);
