using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Controller.Policy;

/// <summary>
/// How the served model does on some of people's corrections, asked of the predictors as one batch of ordinary
/// predictions (the controller has no model of its own): the share it labels as the person did, and the version most of
/// the answers came from.
/// </summary>
public sealed class CorrectionsScoring(IBus bus, TimeProvider time)
{
    // A singleton's own client (the injected ones are scoped); the predictors' competing queue, as any prediction.
    private readonly IRequestClient<PredictDigitBatch> predictors = bus.CreateRequestClient<PredictDigitBatch>(QueueNames.Address(QueueNames.PredictDigitBatch));

    /// <summary>Throws when the predictors cannot answer now (refused, or no answer in time).</summary>
    public async Task<(string Version, int Evaluated, double Accuracy)> ScoreAsync(IReadOnlyList<CorrectionRecord> corrections, CancellationToken cancellationToken)
    {
        var batch = new PredictDigitBatch(NewId.NextGuid(), [.. corrections.Select(c => c.PredictionId)], [.. corrections.SelectMany(c => c.Pixels)], time.GetUtcNow());
        var answer = await predictors.GetResponse<DigitBatchPredicted, PredictionRejected>(batch, cancellationToken, RequestTimeout.After(s: 30));
        if (answer.Is(out Response<PredictionRejected>? rejected)) throw new InvalidOperationException($"the predictors refused the corrections: {rejected.Message.Reason}");
        if (!answer.Is(out Response<DigitBatchPredicted>? answered)) throw new InvalidOperationException($"the predictors answered {answer.Message.GetType().Name}");
        var correct = answered.Message.Digits.Zip(corrections).Count(pair => pair.First == pair.Second.Label);
        return (answered.Message.ModelVersion, corrections.Count, correct / (double)corrections.Count);
    }
}
