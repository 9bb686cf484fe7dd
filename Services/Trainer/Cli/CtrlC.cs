namespace MnistEvents.Trainer.Cli;

/// <summary>Ctrl-C as a cancellation for the commands: it asks them to stop cleanly instead of killing the process.</summary>
public static class CtrlC
{
    public static CancellationTokenSource Cancels()
    {
        var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return cancel;
    }
}
