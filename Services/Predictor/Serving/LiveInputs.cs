using MnistEvents.Contracts;
using MnistEvents.Imaging.Profiles;

namespace MnistEvents.Predictor.Serving;

/// <summary>
/// What the digits this replica answered looked like (<see cref="DigitFeatures"/>), counted since it began serving the
/// model that answered them: a new model starts a new count, since its answers are its own. The heartbeat reports it,
/// and the gateway compares it with the served version's training and validation data.
/// </summary>
public sealed class LiveInputs
{
    private readonly Lock gate = new();
    private string? version;
    private InputProfiler profiler = new();

    /// <summary>Counts a batch once it is answered: <paramref name="pixels"/> holds one 784-byte image per answer.</summary>
    public void Observe(byte[] pixels, DigitBatchPredicted answers)
    {
        if (answers.Digits.Length == 0) return;
        // Measured before the lock: the lock only adds counts.
        var batch = new InputProfiler();
        for (var i = 0; i < answers.Digits.Length; i++) batch.Add(pixels.AsSpan(i * 784, 784), answers.Digits[i], answers.Confidence(i));
        var answeredBy = answers.ModelVersion;
        lock (gate)
        {
            if (answeredBy != version)
            {
                version = answeredBy;
                profiler = new InputProfiler();
            }
            profiler.Add(batch);
        }
    }

    /// <summary>The count for <paramref name="served"/>, or an empty one when this replica has answered nothing with it yet.</summary>
    public InputProfile? For(string? served)
    {
        if (served is null) return null;
        lock (gate) return version == served ? profiler.ToProfile() : InputProfiles.Empty;
    }
}
