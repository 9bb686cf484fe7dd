using MnistEvents.Trainer.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return TrainCommand.Run(args, Console.Out, Console.Error, cancel.Token);
