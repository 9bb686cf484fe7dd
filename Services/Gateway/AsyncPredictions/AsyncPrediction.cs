using MnistEvents.Contracts;

namespace MnistEvents.Gateway.AsyncPredictions;

/// <summary>
/// An accepted asynchronous prediction: whom to push it to, what the model was given and the warnings its upload
/// raised, and its result once known.
/// </summary>
public sealed record AsyncPrediction(Guid Id, string? ConnectionId, byte[] Pixels, IReadOnlyList<string> Warnings, DateTimeOffset AcceptedAt, DigitPredicted? Result = null)
{
    public string Status => Result is null ? "pending" : "done";
}
