using MnistEvents.Contracts;

namespace MnistEvents.Trainer.Worker;

/// <summary>One training the worker has taken on, and how far it got: queued, running, done or failed.</summary>
public sealed record JournalEntry(StartTraining Request, string State, DateTimeOffset UpdatedAt)
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";

    public bool Unfinished => State is Queued or Running;
}
