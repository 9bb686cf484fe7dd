using MnistEvents.Gateway.Predictions;

namespace MnistEvents.Gateway.AsyncPredictions;

/// <summary>An async prediction as clients see it, pushed or fetched: the same fields as the synchronous answer once done.</summary>
public sealed record AsyncPredictionView(Guid Id, string Status, PredictionResponse? Result)
{
    public static AsyncPredictionView From(AsyncPrediction p) => new(p.Id, p.Status, p.Result is { } r
        ? PredictionResponse.From(r, p.Pixels, p.Warnings, (r.PredictedAt - p.AcceptedAt).TotalMilliseconds)
        : null);
}
