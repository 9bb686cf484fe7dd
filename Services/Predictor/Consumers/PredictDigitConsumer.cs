using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Model.Data;
using MnistEvents.Predictor.Serving;

namespace MnistEvents.Predictor.Consumers;

/// <summary>Classifies a batch of <see cref="PredictDigit"/> commands in one forward pass; each gets its <see cref="DigitPredicted"/>.</summary>
public sealed class PredictDigitConsumer(BatchPredictor predictor, ILogger<PredictDigitConsumer> logger) : IConsumer<Batch<PredictDigit>>
{
    public async Task Consume(ConsumeContext<Batch<PredictDigit>> context)
    {
        var valid = new List<ConsumeContext<PredictDigit>>(context.Message.Length);
        var now = DateTime.UtcNow;
        foreach (var item in context.Message)
        {
            // Nobody can fetch its result any more (the time-to-live is the gateway's retention).
            if (item.ExpirationTime < now) continue;
            // The gateway only sends 784 bytes; anything else came from elsewhere and cannot be classified.
            if (BatchPredictor.IsWholeImages(item.Message.Pixels, 1)) valid.Add(item);
            else logger.LogWarning("Dropping PredictDigit {RequestId}: {Length} pixel bytes, expected 784", item.Message.RequestId, item.Message.Pixels?.Length ?? 0);
        }
        if (valid.Count == 0) return;

        var pixels = new byte[valid.Count * MnistDataset.Pixels];
        for (var i = 0; i < valid.Count; i++) valid[i].Message.Pixels.CopyTo(pixels, i * MnistDataset.Pixels);
        var answers = predictor.Predict(valid.Select(v => v.Message.RequestId).ToArray(), pixels, valid.Select(v => v.Message.SentAt));

        // A request (sync callers) gets a response; a plain command (async submissions) gets the result published as an event.
        await Task.WhenAll(valid.Select((item, i) => item.ResponseAddress is null ? item.Publish(answers[i]) : item.RespondAsync(answers[i])));
    }
}
