using System.Diagnostics;

namespace MnistEvents.TestSupport;

/// <summary>The one way tests wait: a condition polled until a deadline, never a bare sleep.</summary>
public static class Poll
{
    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, ServiceProcess? logOf = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(60)))
        {
            if (await condition()) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"timed out waiting for: {what}{(logOf is null ? "" : $"\n{logOf.Name} log:\n{logOf.Tail()}")}");
    }
}
