using MassTransit.Testing;

namespace MnistEvents.ServiceTests.Support;

public static class HarnessReads
{
    private static readonly CancellationToken Now = new(canceled: true);

    /// <summary>
    /// What was sent of <typeparamref name="T"/> until now. The harness's own <c>Select</c> also waits for the bus to go
    /// quiet, which a replica's heartbeat never lets it; with a token already cancelled it returns what it holds at once.
    /// </summary>
    public static List<T> SentSoFar<T>(this ITestHarness harness) where T : class =>
        [.. harness.Sent.Select<T>(Now).Select(m => m.Context.Message)];
}
