using System.ComponentModel.DataAnnotations;

namespace MnistEvents.Gateway;

/// <summary>The <c>Gateway</c> configuration section, checked when the gateway starts.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>How long a synchronous prediction waits for a predictor before answering 503.</summary>
    [Range(0.1, 600)]
    public double PredictionTimeoutSeconds { get; set; } = 10;

    /// <summary>Bearer token that <c>POST /retrain</c> requires; retraining is refused while none is set.</summary>
    public string? RetrainToken { get; set; }

    [Range(1, 1L << 30)]
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 24_000_000;

    /// <summary>Coalesced batches awaiting an answer at once; requests arriving meanwhile queue up for the next batch.</summary>
    [Range(1, 1024)]
    public int CoalescerMaxInFlight { get; set; } = 8;

    /// <summary>Most predictions in one <c>PredictDigitBatch</c> message.</summary>
    [Range(1, 4096)]
    public int CoalescerMaxBatch { get; set; } = 64;

    /// <summary>A replica not heard from for this long is no longer listed by <c>GET /models</c>.</summary>
    [Range(1, 3600)]
    public double ReplicaExpirySeconds { get; set; } = 15;

    /// <summary>Where corrections (<c>POST /feedback</c>) are appended, one JSON line each: on the model volume, beside the models they will train.</summary>
    [Required]
    public string FeedbackPath { get; set; } = "models/feedback/corrections.jsonl";

    /// <summary>Most corrections kept; beyond it <c>POST /feedback</c> refuses, so the volume cannot be filled from outside.</summary>
    [Range(1, 10_000_000)]
    public int MaxFeedbackRecords { get; set; } = 100_000;
}
