using System.Diagnostics;

namespace MnistEvents.TestSupport;

/// <summary>The one way tests wait: a condition polled until a deadline, never a bare sleep.</summary>
public static class Poll
{
    public static Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, ServiceProcess? logOf = null) =>
        Until(condition, what, timeout ?? TimeSpan.FromSeconds(60),
            () => Task.FromResult(logOf is null ? "" : $"{logOf.Name} log:\n{logOf.Tail()}"));

    /// <summary>Polls as above; on timeout the failure carries what <paramref name="explain"/> says of the moment.</summary>
    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan timeout, Func<Task<string>> explain)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition()) return;
            await Task.Delay(200);
        }
        var explained = await explain();
        throw new TimeoutException($"timed out waiting for: {what}{(explained.Length == 0 ? "" : "\n" + explained)}");
    }
}
