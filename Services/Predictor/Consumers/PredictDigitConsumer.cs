using System.Diagnostics;
using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Model.Data;
using MnistEvents.Model.Inference;
using MnistEvents.Predictor.Serving;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Predictor.Consumers;

/// <summary>Classifies a batch of <see cref="PredictDigit"/> commands in one forward pass and answers each with <see cref="DigitPredicted"/>.</summary>
public sealed class PredictDigitConsumer(ModelHolder holder, PredictorMetrics metrics, ILogger<PredictDigitConsumer> logger)
    : IConsumer<Batch<PredictDigit>>
{
    public async Task Consume(ConsumeContext<Batch<PredictDigit>> context)
    {
        var valid = new List<ConsumeContext<PredictDigit>>(context.Message.Length);
        foreach (var item in context.Message)
        {
            // The gateway only sends 784 bytes; anything else came from elsewhere and cannot be classified.
            if (item.Message.Pixels is { Length: MnistDataset.Pixels }) valid.Add(item);
            else logger.LogWarning("Dropping PredictDigit {RequestId}: {Length} pixel bytes, expected 784", item.Message.RequestId, item.Message.Pixels?.Length ?? 0);
        }
        if (valid.Count == 0) return;

        // No model yet: fail the batch so retry and redelivery hand it to a replica that has one.
        if (!holder.TryLease(out var lease)) throw new InvalidOperationException("no model loaded yet");

        float[][] probabilities;
        string version;
        double inferenceMs;
        using (lease)
        {
            var pixels = new byte[valid.Count * MnistDataset.Pixels];
            for (var i = 0; i < valid.Count; i++) valid[i].Message.Pixels.CopyTo(pixels, i * MnistDataset.Pixels);

            var started = DateTimeOffset.UtcNow;
            foreach (var item in valid) metrics.Waited(started - item.Message.SentAt);
            var clock = Stopwatch.StartNew();
            probabilities = lease.Model.Classifier.Probabilities(pixels, valid.Count);
            inferenceMs = clock.Elapsed.TotalMilliseconds;
            version = lease.Model.Manifest.Version;
        }
        metrics.BatchRan(valid.Count, inferenceMs);

        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(valid.Select((item, i) =>
        {
            var p = probabilities[i];
            var digit = DigitClassifier.ArgMax(p);
            return item.RespondAsync(new DigitPredicted(item.Message.RequestId, digit, p[digit], p, version, ReplicaIdentity.Current, inferenceMs, now));
        }));
    }
}
