using TorchSharp;

namespace MnistEvents.Model.Inference;

/// <summary>
/// How many threads the forward and backward passes started on the calling thread may use. libtorch's count is the
/// calling thread's own (OpenMP's and MKL's setting is per thread), but a thread takes the process-wide last-set count
/// the first time it runs anything in parallel, which would undo a count set on it before; so the first use comes first
/// here, and the count set after it stays the thread's. Serving and training in one process (the embedded default) then
/// each keep their own: serving one thread per forward pass, training every core.
/// </summary>
public static class TorchThreads
{
    public static void UseOnThisThread(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        // The thread's first use: takes the process-wide count now, not at its first forward pass.
        torch.get_num_threads();
        torch.set_num_threads(threads);
    }
}
