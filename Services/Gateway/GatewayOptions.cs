using System.ComponentModel.DataAnnotations;

namespace MnistEvents.Gateway;

/// <summary>The <c>Gateway</c> configuration section, checked when the gateway starts.</summary>
public sealed class GatewayOptions : IValidatableObject
{
    public const string Section = "Gateway";

    /// <summary>How long a synchronous prediction may take from its arrival, queueing included, before answering 503.</summary>
    [Range(0.1, 600)]
    public double PredictionTimeoutSeconds { get; set; } = 10;

    /// <summary>How long an admin request waits for the controller's answer (retrain, activate, shadow) before answering 503.</summary>
    [Range(0.1, 600)]
    public double ControllerTimeoutSeconds { get; set; } = 10;

    public MassTransit.RequestTimeout ControllerTimeout => MassTransit.RequestTimeout.After(ms: (int)Math.Ceiling(ControllerTimeoutSeconds * 1000));

    /// <summary>
    /// Bearer token that the admin requests require: <c>POST /retrain</c>, <c>POST /models/{version}/activate</c> and
    /// <c>POST /models/{version}/shadow</c>; each is refused (403) while none is set.
    /// </summary>
    public string? AdminToken { get; set; }

    [Range(1, 1L << 30)]
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 24_000_000;

    /// <summary>Most memory the decoder may hold for one upload, in MB: a 24-megapixel photo needs about 100.</summary>
    [Range(1, 4096)]
    public int MaxDecodeMegabytes { get; set; } = 192;

    /// <summary>Longest one upload may take to decode.</summary>
    [Range(0.01, 600)]
    public double MaxDecodeSeconds { get; set; } = 5;

    /// <summary>Uploads decoded at once in this process; each may hold <see cref="MaxDecodeMegabytes"/>.</summary>
    [Range(1, 256)]
    public int MaxConcurrentDecodes { get; set; } = 2;

    /// <summary>Decode slots one client may hold at once: below <see cref="MaxConcurrentDecodes"/>, a flood from one client leaves a slot for everyone else.</summary>
    [Range(1, 256)]
    public int MaxConcurrentDecodesPerClient { get; set; } = 1;

    /// <summary>
    /// Megabytes of uploads waiting for a decode slot, all clients together (each upload counts at least 16 KB); beyond
    /// this the client with the longest line gives up its newest for a client with a shorter one, and when none is
    /// longer the request is refused at once with Retry-After: a 429 to the client whose line is the longest, else a 503.
    /// </summary>
    [Range(0, 4096)]
    public int MaxQueuedDecodeMegabytes { get; set; } = 32;

    /// <summary>Megabytes of one client's uploads waiting for a decode slot; beyond this its request is refused at once with 429 and Retry-After.</summary>
    [Range(0, 4096)]
    public int MaxQueuedDecodeMegabytesPerClient { get; set; } = 16;

    /// <summary>Most files in one <c>POST /predictions</c>.</summary>
    [Range(1, 1000)]
    public int MaxFilesPerSubmission { get; set; } = 16;

    /// <summary>
    /// Most digits in one inference request of the Open Inference Protocol, REST or gRPC (the N of its tensor's shape);
    /// beyond it a 413. Its body is held to <see cref="MaxUploadBytes"/>, and the gateway splits its digits into
    /// messages of at most <see cref="CoalescerMaxBatch"/>. A request is queued whole or not at all, so where
    /// <see cref="MaxQueuedPredictions"/> is lower, that is the most a request may hold.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxDigitsPerInference { get; set; } = 256;

    /// <summary>Synchronous predictions waiting to be sent to a predictor; beyond this a request is refused at once with 503 and Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int MaxQueuedPredictions { get; set; } = 1024;

    /// <summary>Prediction requests (<c>POST /prediction</c>, <c>POST /predictions</c>) one client address may make per second, sustained; 0 turns the limit off.</summary>
    [Range(0, 1_000_000)]
    public int PredictionRequestsPerSecondPerClient { get; set; } = 100;

    /// <summary>Prediction requests one client address may make at once above its sustained rate.</summary>
    [Range(1, 1_000_000)]
    public int PredictionBurstPerClient { get; set; } = 200;

    /// <summary>Admin requests (retrain, activate, shadow) one client address may make per minute, together (a retrain may start a training run); 0 turns the limit off.</summary>
    [Range(0, 10_000)]
    public int AdminRequestsPerMinutePerClient { get; set; } = 6;

    /// <summary>
    /// Most coalesced batches awaiting an answer at once; requests arriving meanwhile queue up for the next batch. Fewer
    /// while the live replicas run fewer at once (their heartbeats say how many): a batch beyond that would only wait in
    /// the broker, where the digits arriving after it can no longer join it. Under bench/oip's REST load at 8 clients
    /// (3 replicas), 8 in flight made batches of 49 digits and 3 made batches of 61, with 0.20–0.21 against 0.19 CPU ms
    /// an image and no fewer requests answered (same-machine A/B, 2026-12-05).
    /// </summary>
    [Range(1, 1024)]
    public int CoalescerMaxInFlight { get; set; } = 8;

    /// <summary>
    /// Most predictions in one <c>PredictDigitBatch</c> message. Only a full line fills a batch (nothing waits for one to
    /// fill), so this counts only under load, where each message's fixed cost (the broker, MassTransit's pipeline on both
    /// sides) is shared by more digits: 128 against 64 in a same-machine A/B under bench/oip's load (gRPC, 32 clients,
    /// after the JIT settled), CPU per image 0.262 to 0.219 ms and requests/s 203 to 247, while the forward pass costs
    /// the same per image at either size.
    /// </summary>
    [Range(1, 4096)]
    public int CoalescerMaxBatch { get; set; } = 128;

    /// <summary>A replica not heard from for this long is no longer listed by <c>GET /models</c>.</summary>
    [Range(1, 3600)]
    public double ReplicaExpirySeconds { get; set; } = 15;

    /// <summary>Most async predictions kept at once (each for 15 minutes); beyond it <c>POST /predictions</c> answers 503.</summary>
    [Range(1, 10_000_000)]
    public int MaxAsyncResults { get; set; } = 100_000;

    /// <summary>Most async predictions also held in memory, the newest; the rest are read from the volume when asked for.</summary>
    [Range(1, 10_000_000)]
    public int AsyncResultsInMemory { get; set; } = 2_000;

    /// <summary>Most async predictions one client may have kept at once: its share of <see cref="MaxAsyncResults"/>; beyond it its submissions are a 429.</summary>
    [Range(1, 10_000_000)]
    public int MaxAsyncResultsPerClient { get; set; } = 5_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxConcurrentDecodesPerClient > MaxConcurrentDecodes)
            yield return new ValidationResult($"{nameof(MaxConcurrentDecodesPerClient)} ({MaxConcurrentDecodesPerClient}) cannot be more than {nameof(MaxConcurrentDecodes)} ({MaxConcurrentDecodes}).",
                [nameof(MaxConcurrentDecodesPerClient)]);
    }
}
