using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using MnistEvents.Gateway.Problems;
using MnistEvents.Imaging;

namespace MnistEvents.Gateway.Predictions;

/// <summary>
/// The one way uploads are decoded in the gateway: at most <see cref="GatewayOptions.MaxConcurrentDecodes"/> at once,
/// each held to its own memory budget, so the worst case is their product whatever arrives; a bounded line waits behind
/// them, and beyond it a request is refused at once (503, Retry-After) instead of queueing without end.
/// </summary>
public sealed class DecodeSlots : IDisposable
{
    private readonly DigitPreprocessor preprocessor;
    private readonly ConcurrencyLimiter slots;

    public DecodeSlots(IOptions<GatewayOptions> options)
    {
        var o = options.Value;
        preprocessor = new DigitPreprocessor(new ImageLimits
        {
            MaxBytes = o.MaxUploadBytes,
            MaxPixels = o.MaxPixels,
            MaxDecodeBytes = o.MaxDecodeMegabytes * 1024L * 1024,
            MaxDecodeTime = TimeSpan.FromSeconds(o.MaxDecodeSeconds),
        });
        slots = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.MaxConcurrentDecodes,
            QueueLimit = o.MaxQueuedDecodes,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public ImageLimits Limits => preprocessor.Limits;

    public async Task<DigitImage> PreprocessAsync(byte[] upload, CancellationToken cancellationToken)
    {
        using var slot = await slots.AcquireAsync(1, cancellationToken);
        if (!slot.IsAcquired)
            throw new ProblemException(StatusCodes.Status503ServiceUnavailable, "Gateway busy",
                "Too many images are waiting to be decoded; this one was not accepted. Try again shortly.") { RetryAfterSeconds = 1 };
        return preprocessor.Preprocess(upload);
    }

    public void Dispose() => slots.Dispose();
}
