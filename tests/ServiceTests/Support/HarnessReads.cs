using MassTransit.Testing;

namespace MnistEvents.ServiceTests.Support;

public static class HarnessReads
{
    private static readonly CancellationToken Now = new(canceled: true);

    /// <summary>
    /// What was sent of <typeparamref name="T"/> until now. The harness's own <c>Select</c> also waits for the bus to go
    /// quiet, which a replica's heartbeat (or the controller's sweep) never lets it; with a token already cancelled it
    /// returns what it holds at once.
    /// </summary>
    public static List<T> SentSoFar<T>(this ITestHarness harness) where T : class =>
        [.. harness.Sent.Select<T>(Now).Select(m => m.Context.Message)];

    /// <summary>What was published of <typeparamref name="T"/> until now (see <see cref="SentSoFar{T}"/>).</summary>
    public static List<T> PublishedSoFar<T>(this ITestHarness harness) where T : class =>
        [.. harness.Published.Select<T>(Now).Select(m => m.Context.Message)];

    /// <summary>What was consumed of <typeparamref name="T"/> until now (see <see cref="SentSoFar{T}"/>).</summary>
    public static List<T> ConsumedSoFar<T>(this ITestHarness harness) where T : class =>
        [.. harness.Consumed.Select<T>(Now).Select(m => m.Context.Message)];
}
