using MnistEvents.Contracts;
using MnistEvents.Trainer.Training;

namespace MnistEvents.Trainer.Cli;

/// <summary>
/// What the command line's own controller decided for its training, told in words as the events arrive; done when the
/// training is settled, or when its candidate waits on shadowing (no replica here will shadow it: a controller on this
/// volume settles it later).
/// </summary>
public sealed class Settlement(Guid trainingId, ConsoleAnnouncer console, TextWriter output)
{
    // The in-process controller answers within a moment of the judgement; this only bounds a wait for one that never does.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Heard(object message)
    {
        if (console.Describe(message) is { } line) output.WriteLine(line);
        if (message is RetrainSettled settled && settled.TrainingId == trainingId || message is PromotionDecided { Pending: true } decided && decided.TrainingId == trainingId)
            done.TrySetResult();
    }

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await done.Task.WaitAsync(Patience, cancellationToken);
        }
        catch (TimeoutException)
        {
            output.WriteLine($"No decision on training {trainingId} within {Patience.TotalSeconds:0} s; the model volume keeps its state for the next controller");
        }
    }
}
