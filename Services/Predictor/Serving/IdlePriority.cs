using System.Runtime.InteropServices;

namespace MnistEvents.Predictor.Serving;

/// <summary>
/// Moves the calling thread to Linux's idle scheduling class (<c>SCHED_IDLE</c>: it runs only on CPU no other thread
/// wants, and any waking thread preempts it), so work on it never takes CPU from the answering threads. Threads it
/// creates (libtorch's OpenMP workers) inherit the class. Elsewhere it does nothing.
/// </summary>
public static class IdlePriority
{
    private const int SchedIdle = 5;

    /// <returns>Whether the thread now runs in the idle class.</returns>
    public static bool LowerCurrentThread()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var priority = 0; // the only priority SCHED_IDLE takes
            return SetScheduler(GetThreadId(), SchedIdle, ref priority) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static extern int SetScheduler(int thread, int policy, ref int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();
}
