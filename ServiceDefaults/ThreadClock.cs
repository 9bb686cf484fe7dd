using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MnistEvents.ServiceDefaults;

/// <summary>
/// CPU time the calling thread has used (Linux's per-thread clock): what a computation cost, without the time an
/// idle-class thread waited for the CPU. Elsewhere, wall time.
/// </summary>
public static class ThreadClock
{
    private const int ThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID

    public static TimeSpan Now()
    {
        if (!OperatingSystem.IsLinux()) return Stopwatch.GetElapsedTime(0);
        GetTime(ThreadCpuTime, out var time);
        return TimeSpan.FromSeconds(time.Seconds) + TimeSpan.FromTicks(time.Nanoseconds / 100);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int GetTime(int clock, out TimeSpec time);
}
