using MassTransit;
using MnistEvents.Gateway.Problems;

namespace MnistEvents.Gateway.Lifecycle;

/// <summary>
/// A lifecycle command's answer from the controller, which owns those decisions: its answer, or a 503 that says why there
/// is none. The request expires with the wait (MassTransit gives it the timeout as its time to live), so a command
/// refused this way is never carried out later.
/// </summary>
public static class ControllerAnswer
{
    public static async Task<T> Of<T>(Func<Task<T>> ask, GatewayOptions options)
    {
        try
        {
            return await ask();
        }
        catch (RequestTimeoutException)
        {
            throw new ProblemException(StatusCodes.Status503ServiceUnavailable, "The controller did not answer",
                $"The controller, which carries out lifecycle commands, did not answer within {options.ControllerTimeoutSeconds:0.##} s (it may be restarting); "
                + "nothing was changed. Predictions are answered meanwhile; ask again shortly.")
            {
                RetryAfterSeconds = 10,
            };
        }
    }
}
