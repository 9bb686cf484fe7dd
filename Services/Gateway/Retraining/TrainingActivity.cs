namespace MnistEvents.Gateway.Retraining;

/// <summary>
/// Which trainings are under way, as far as this gateway has heard: started or progressing, and not yet completed or
/// failed. One not heard from for <see cref="Stale"/> (a trainer killed without a word) no longer counts; after a
/// gateway restart a running training shows again with its next progress event.
/// </summary>
public sealed class TrainingActivity(TimeProvider time)
{
    public static readonly TimeSpan Stale = TimeSpan.FromMinutes(15);

    // Events of one training travel on several exchanges: a progress event may arrive after its training ended.
    private const int EndedRemembered = 100;

    private readonly Lock gate = new();
    private readonly Dictionary<Guid, DateTimeOffset> running = [];
    private readonly HashSet<Guid> ended = [];
    private readonly Queue<Guid> endedInOrder = new();

    public void Heard(Guid trainingId)
    {
        lock (gate)
            if (!ended.Contains(trainingId)) running[trainingId] = time.GetUtcNow();
    }

    public void Ended(Guid trainingId)
    {
        lock (gate)
        {
            running.Remove(trainingId);
            if (!ended.Add(trainingId)) return;
            endedInOrder.Enqueue(trainingId);
            if (endedInOrder.Count > EndedRemembered) ended.Remove(endedInOrder.Dequeue());
        }
    }

    /// <summary>The training heard from most recently that has not ended, or null when none runs.</summary>
    public Guid? Running()
    {
        var cutoff = time.GetUtcNow() - Stale;
        lock (gate)
        {
            foreach (var gone in running.Where(r => r.Value < cutoff).Select(r => r.Key).ToList()) running.Remove(gone);
            return running.Count == 0 ? null : running.MaxBy(r => r.Value).Key;
        }
    }
}
