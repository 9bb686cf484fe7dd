using MnistEvents.Contracts;

namespace MnistEvents.Trainer.Cli;

/// <summary>
/// A parsed <c>request-retrain</c> command line: the <see cref="Request"/> it publishes, and whether it follows that
/// training to the gate's verdict (<see cref="Wait"/>), for at most <see cref="Timeout"/>.
/// </summary>
public sealed record RequestRetrainArguments(RequestRetrain Request, bool Wait, TimeSpan Timeout, bool Help = false);
