using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MnistEvents.Model.Inference;

namespace MnistEvents.Predictor.Serving;

/// <summary>
/// The threads a replica's batches run their forward passes on: <see cref="PredictorOptions.BatchConcurrency"/> of them,
/// for the replica's life, rather than whichever thread-pool thread delivered the message. Native memory is kept per
/// thread: glibc's malloc gives threads their own arenas, each keeping the largest batch's activations for the next (as
/// <c>NativeAllocator</c> asks), so on the thread pool every thread that had ever run a batch held a copy. Under
/// bench/oip's load at 32 clients a replica's RSS was 690–780 MB that way (564–647 MB before freed memory was kept in
/// full, at the price of page faults), and 362–415 MB on these threads, with the same CPU per image.
/// </summary>
public sealed class InferenceThreads : IDisposable
{
    private readonly BlockingCollection<Action> work = new();

    private readonly int? torchThreads;

    public InferenceThreads(IOptions<PredictorOptions> options)
    {
        torchThreads = options.Value.TorchThreads;
        for (var i = 0; i < options.Value.BatchConcurrency; i++)
            new Thread(Run) { IsBackground = true, Name = $"inference-{i}" }.Start();
    }

    /// <summary>Runs <paramref name="forward"/> on one of the threads; its result or exception comes back through the task.</summary>
    public Task<T> RunAsync<T>(Func<T> forward)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Add(() =>
        {
            try
            {
                done.SetResult(forward());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    private void Run()
    {
        // The thread's own count, which a training run in the same process (the embedded default) setting its own cannot change.
        if (torchThreads is { } threads) TorchThreads.UseOnThisThread(threads);
        foreach (var item in work.GetConsumingEnumerable()) item();
    }

    public void Dispose() => work.CompleteAdding();
}
