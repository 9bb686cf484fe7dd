using MnistEvents.Gateway.Predictions;

namespace MnistEvents.Gateway.AsyncPredictions;

/// <summary>
/// An async prediction as clients see it, pushed or fetched: the same fields as the synchronous answer once done, and
/// <paramref name="Lineage"/>, where the answering version's lineage is (<c>GET /models/{version}/lineage</c>).
/// </summary>
public sealed record AsyncPredictionView(Guid Id, string Status, PredictionResponse? Result, string? Lineage = null)
{
    public static AsyncPredictionView From(AsyncPrediction p) => p.Result is { } r
        ? new(p.Id, p.Status, PredictionResponse.From(r, p.Pixels, p.Warnings, (r.PredictedAt - p.AcceptedAt).TotalMilliseconds),
            $"/models/{Uri.EscapeDataString(r.ModelVersion)}/lineage")
        : new(p.Id, p.Status, null);
}
