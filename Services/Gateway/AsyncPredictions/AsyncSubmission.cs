namespace MnistEvents.Gateway.AsyncPredictions;

/// <summary>
/// The 202 answer of <c>POST /predictions</c>: one item per uploaded file, in order, and whether the results will be
/// pushed (the submission named a live subscription) or must be fetched by id.
/// </summary>
public sealed record AsyncSubmission(IReadOnlyList<AsyncSubmissionItem> Items, bool Pushed);
