namespace MnistEvents.Model.Evaluation;

/// <summary>How a finished training becomes (or does not become) the served model.</summary>
public sealed record PromotionOptions
{
    /// <summary>How many percentage points worse than the active model a candidate may be, on either set, and still be promoted.</summary>
    public double TolerancePoints { get; init; } = 0.5;

    /// <summary>Size of the real-uploads validation set (<see cref="ValidationUploads"/>).</summary>
    public int ValidationUploads { get; init; } = 1000;

    /// <summary>Versions kept on the volume; the active one and the one before it are kept besides.</summary>
    public int KeepVersions { get; init; } = 10;

    /// <summary>Promote even a worse candidate (a person asked, with the token).</summary>
    public bool PromoteRegardless { get; init; }

    /// <summary>
    /// When above 0, the training asks that a candidate the gate lets through (or one promoted regardless) be shadowed
    /// first, on this many live digits, before it serves; the controller decides. 0 asks to serve it at once.
    /// </summary>
    public long ShadowPredictions { get; init; }

    /// <summary>The share of live batches it asks such a candidate to be shadowed on; null leaves it to the controller.</summary>
    public double? ShadowSampleRate { get; init; }
}
