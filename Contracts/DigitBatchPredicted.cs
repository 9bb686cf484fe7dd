using System.Buffers.Binary;

namespace MnistEvents.Contracts;

/// <summary>
/// The answers to a <see cref="PredictDigitBatch"/>: its response, or an event when it was sent without a response
/// address. One entry per request, in order, in columns: <paramref name="Digits"/>, and <paramref name="Probabilities"/>
/// with each answer's ten probabilities as little-endian float32 (40 bytes an answer, end to end, as the request's
/// pixels are). One model version, replica, forward pass and moment answered them all. Columns, because an object per
/// answer was most of the message: reading those back was a fifth of a gateway's CPU under load (perf, bench/oip's load).
/// <see cref="Predictions"/> gives them back as one <see cref="DigitPredicted"/> each.
/// </summary>
public sealed record DigitBatchPredicted(
    Guid BatchId,
    Guid[] RequestIds,
    int[] Digits,
    byte[] Probabilities,
    string ModelVersion,
    string Replica,
    double InferenceMs,
    DateTimeOffset PredictedAt)
{
    public const int ProbabilityBytes = 10 * sizeof(float);

    /// <summary>Answer <paramref name="index"/>'s probability of the digit it gave.</summary>
    public float Confidence(int index) => BinaryPrimitives.ReadSingleLittleEndian(Probabilities.AsSpan(index * ProbabilityBytes + Digits[index] * sizeof(float)));

    /// <summary>One answer per request, in order.</summary>
    /// <exception cref="InvalidOperationException">The columns do not hold one answer per request.</exception>
    public DigitPredicted[] Predictions()
    {
        // A message in another shape (one from before the columns, say) has nulls here.
        var count = RequestIds?.Length ?? 0;
        if (Digits?.Length != count || Probabilities?.Length != count * ProbabilityBytes)
            throw new InvalidOperationException($"{Digits?.Length ?? 0} digits and {Probabilities?.Length ?? 0} probability bytes for {count} requests: a batch's answers hold one digit and {ProbabilityBytes} bytes per request");
        var rows = new DigitPredicted[count];
        for (var i = 0; i < count; i++)
        {
            if (Digits[i] is < 0 or > 9) throw new InvalidOperationException($"answer {i} is the digit {Digits[i]}");
            var probabilities = new float[10];
            for (var k = 0; k < probabilities.Length; k++)
                probabilities[k] = BinaryPrimitives.ReadSingleLittleEndian(Probabilities.AsSpan(i * ProbabilityBytes + k * sizeof(float)));
            rows[i] = new DigitPredicted(RequestIds![i], Digits[i], probabilities[Digits[i]], probabilities, ModelVersion, Replica, InferenceMs, PredictedAt);
        }
        return rows;
    }
}
