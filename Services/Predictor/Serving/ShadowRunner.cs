using MnistEvents.Contracts;
using MnistEvents.Model.Inference;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Predictor.Serving;

/// <summary>
/// Shadow evaluation: a candidate model run on a sample of live batches after the active model has answered them, one
/// batch at a time (a batch that finds it busy is not sampled), on a thread of its own in the idle scheduling class
/// (<see cref="IdlePriority"/>), so it uses only CPU the answering threads leave idle and an answer never waits for it.
/// Counts what both models said; <see cref="Report"/> gives the running comparison.
/// </summary>
public sealed class ShadowRunner(PredictorMetrics metrics, ILogger<ShadowRunner> logger)
{
    private readonly ModelHolder candidate = new();
    private readonly SemaphoreSlim batchReady = new(0, 1);
    private readonly Lock counting = new();
    private readonly Lock starting = new();
    private Thread? thread;
    private int busy;
    // Handed over by Observe and taken by the shadow thread; the semaphore orders the two.
    private (byte[] Pixels, DigitBatchPredicted Answers)? next;
    private double sampleRate;
    private long compared, agreed;
    private double candidateConfidence, activeConfidence, candidateMs, activeMs;

    public string? Candidate => candidate.Manifest?.Version;

    public void Start(ServedModel model, double rate)
    {
        if (candidate.Manifest is null) candidate.TrySetInitial(model);
        else candidate.Swap(model);
        lock (counting)
        {
            compared = agreed = 0;
            candidateConfidence = activeConfidence = candidateMs = activeMs = 0;
        }
        lock (starting)
        {
            thread ??= new Thread(Run) { IsBackground = true, Name = "shadow" };
            if (!thread.IsAlive) thread.Start();
        }
        Volatile.Write(ref sampleRate, rate);
    }

    public void Stop() => Volatile.Write(ref sampleRate, 0);

    /// <summary>Maybe hands <paramref name="answers"/>, the active model's, to the shadow thread to compare.</summary>
    public void Observe(byte[] pixels, DigitBatchPredicted answers)
    {
        var rate = Volatile.Read(ref sampleRate);
        if (rate <= 0 || Random.Shared.NextDouble() >= rate || Interlocked.CompareExchange(ref busy, 1, 0) != 0) return;
        next = (pixels, answers);
        batchReady.Release();
    }

    /// <summary>The running comparison, or null when nothing is shadowed.</summary>
    public ShadowReported? Report(string? active)
    {
        if (Candidate is not { } version) return null;
        if (Volatile.Read(ref sampleRate) <= 0) return null;
        lock (counting)
        {
            var n = Math.Max(1, compared);
            return new ShadowReported(ReplicaIdentity.Current, version, active, compared, agreed,
                candidateConfidence / n, activeConfidence / n, candidateMs / n, activeMs / n, DateTimeOffset.UtcNow);
        }
    }

    private void Run()
    {
        if (!IdlePriority.LowerCurrentThread())
            logger.LogInformation("Shadowing runs at normal priority here: this system has no idle scheduling class for it");
        while (true)
        {
            batchReady.Wait();
            var (pixels, answers) = next!.Value;
            try
            {
                Compare(pixels, answers);
            }
            catch (Exception e)
            {
                logger.LogWarning("Shadow comparison skipped: {Reason}", e.Message);
            }
            finally
            {
                next = null;
                Volatile.Write(ref busy, 0);
            }
        }
    }

    private void Compare(byte[] pixels, DigitBatchPredicted answers)
    {
        if (!candidate.TryLease(out var lease)) return;
        using (lease)
        {
            var started = ThreadClock.Now();
            var count = answers.Digits.Length;
            var probabilities = lease.Model.Classifier.Probabilities(pixels, count);
            var ms = (ThreadClock.Now() - started).TotalMilliseconds;
            var same = 0;
            double confidence = 0, active = 0;
            for (var i = 0; i < count; i++)
            {
                var digit = DigitClassifier.ArgMax(probabilities[i]);
                if (digit == answers.Digits[i]) same++;
                confidence += probabilities[i][digit];
                active += answers.Confidence(i);
            }
            lock (counting)
            {
                compared += count;
                agreed += same;
                candidateConfidence += confidence;
                activeConfidence += active;
                candidateMs += ms;
                activeMs += answers.InferenceMs; // the batch's forward pass
            }
            metrics.Shadowed(count, same);
        }
    }
}
