namespace MnistEvents.Predictor;

/// <summary>The <c>Predictor</c> configuration section.</summary>
public sealed class PredictorOptions
{
    public const string Section = "Predictor";

    /// <summary>Where the model is read at start-up (and where a <c>ModelSaved</c> is looked for if its own path does not exist here).</summary>
    public string ModelPath { get; set; } = "models/mnist.pt";

    /// <summary>Most <c>PredictDigit</c> commands folded into one forward pass.</summary>
    public int BatchMaxSize { get; set; } = 64;

    /// <summary>Longest a batch waits to fill once its first command arrived.</summary>
    public int BatchMaxWaitMs { get; set; } = 4;

    /// <summary>Batches in flight at once per replica.</summary>
    public int BatchConcurrency { get; set; } = 2;

    /// <summary>TorchSharp intra-op threads; unset leaves TorchSharp's default (one per core). Several replicas on one
    /// machine serve best with 1 each, as the peer's gunicorn workers do.</summary>
    public int? TorchThreads { get; set; }

    /// <summary>How often a replica without a model looks for one, and how often it reports itself.</summary>
    public int PollSeconds { get; set; } = 2;
}
