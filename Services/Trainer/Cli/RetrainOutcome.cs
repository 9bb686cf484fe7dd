namespace MnistEvents.Trainer.Cli;

/// <summary>How a followed training ended, as <c>request-retrain --wait</c> exits (2 stays the bad-flags code, as for training).</summary>
public enum RetrainOutcome
{
    /// <summary>Its version was activated: it serves.</summary>
    Served = 0,

    /// <summary>The request was refused, the training failed, or the verdict never came.</summary>
    Failed = 1,

    /// <summary>The promotion gate refused its version; the one before still serves.</summary>
    Refused = 3,

    /// <summary>Its version waited on shadowing, and a newer decision served another first.</summary>
    Superseded = 4,
}
