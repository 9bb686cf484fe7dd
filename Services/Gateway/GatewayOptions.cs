namespace MnistEvents.Gateway;

/// <summary>The <c>Gateway</c> configuration section.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>How long a synchronous prediction waits for a predictor before answering 503.</summary>
    public double PredictionTimeoutSeconds { get; set; } = 10;

    /// <summary>Bearer token that <c>POST /retrain</c> requires; retraining is refused while none is set.</summary>
    public string? RetrainToken { get; set; }

    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    public long MaxPixels { get; set; } = 24_000_000;

    /// <summary>Coalesced batches awaiting an answer at once; requests arriving meanwhile queue up for the next batch.</summary>
    public int CoalescerMaxInFlight { get; set; } = 8;

    /// <summary>Most predictions in one <c>PredictDigitBatch</c> message.</summary>
    public int CoalescerMaxBatch { get; set; } = 64;

    /// <summary>A replica not heard from for this long is no longer listed by <c>GET /models</c>.</summary>
    public double ReplicaExpirySeconds { get; set; } = 15;
}
