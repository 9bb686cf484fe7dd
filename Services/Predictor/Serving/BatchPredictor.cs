using System.Buffers.Binary;
using System.Diagnostics;
using MnistEvents.Contracts;
using MnistEvents.Model.Data;
using MnistEvents.Model.Inference;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Predictor.Serving;

/// <summary>One forward pass over many digits with the model served now (or a kept version the batch names), and an answer for each.</summary>
public sealed class BatchPredictor(ModelHolder holder, KeptVersions kept, PredictorMetrics metrics)
{
    /// <param name="batchId">The batch the answers are for.</param>
    /// <param name="requestIds">One per image.</param>
    /// <param name="pixels">The images, 784 bytes each, end to end.</param>
    /// <param name="sentAt">When the batch was sent, for the queue-wait metric.</param>
    /// <param name="version">A kept version to run instead of the served one.</param>
    /// <exception cref="KeptVersionException"><paramref name="version"/> cannot be run here.</exception>
    public DigitBatchPredicted Predict(Guid batchId, Guid[] requestIds, byte[] pixels, DateTimeOffset sentAt, string? version = null)
    {
        using (var lease = Lease(version))
        {
            var started = DateTimeOffset.UtcNow;
            metrics.Waited(started - sentAt);
            var clock = Stopwatch.StartNew();
            var cpu = ThreadClock.Now();
            var probabilities = lease.Model.Classifier.Probabilities(pixels, requestIds.Length);
            var inferenceMs = clock.Elapsed.TotalMilliseconds;
            metrics.BatchRan(requestIds.Length, inferenceMs, ThreadClock.Now() - cpu);

            var digits = new int[requestIds.Length];
            var columns = new byte[requestIds.Length * DigitBatchPredicted.ProbabilityBytes];
            for (var i = 0; i < digits.Length; i++)
            {
                digits[i] = DigitClassifier.ArgMax(probabilities[i]);
                for (var k = 0; k < probabilities[i].Length; k++)
                    BinaryPrimitives.WriteSingleLittleEndian(columns.AsSpan(i * DigitBatchPredicted.ProbabilityBytes + k * sizeof(float)), probabilities[i][k]);
            }
            return new DigitBatchPredicted(batchId, requestIds, digits, columns, lease.Model.Manifest.Version, ReplicaIdentity.Current, inferenceMs, DateTimeOffset.UtcNow);
        }
    }

    private ModelLease Lease(string? version)
    {
        if (holder.TryLease(out var served))
        {
            if (version is null || served.Model.Manifest.Version == version) return served;
            served.Dispose();
        }
        // No model yet: throw, so retry and redelivery hand the work to a replica that has one.
        else if (version is null) throw new InvalidOperationException("no model loaded yet");
        return kept.Lease(version);
    }

    public static bool IsWholeImages(byte[]? pixels, int count) => pixels is not null && count > 0 && pixels.Length == count * MnistDataset.Pixels;
}
