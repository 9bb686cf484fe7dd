using Microsoft.Extensions.Options;
using MnistEvents.Gateway.Problems;
using MnistEvents.Imaging;

namespace MnistEvents.Gateway.Predictions;

/// <summary>
/// The one way uploads are decoded in the gateway: at most <see cref="GatewayOptions.MaxConcurrentDecodes"/> at once,
/// each held to its own memory budget, so the worst case is their product whatever arrives; clients take turns
/// (<see cref="FairDecodeQueue"/>), none holding more than <see cref="GatewayOptions.MaxConcurrentDecodesPerClient"/>
/// slots, so one client's flood does not keep another's image waiting. Waiting uploads hold their bytes, so the line is
/// measured in bytes: a client past <see cref="GatewayOptions.MaxQueuedDecodeMegabytesPerClient"/> is refused (429),
/// and with every line full (<see cref="GatewayOptions.MaxQueuedDecodeMegabytes"/>) the longest gives way; both at once,
/// with Retry-After, instead of queueing without end.
/// </summary>
public sealed class DecodeSlots
{
    private readonly DigitPreprocessor preprocessor;
    private readonly FairDecodeQueue slots;

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
        slots = new FairDecodeQueue(o.MaxConcurrentDecodes, o.MaxConcurrentDecodesPerClient, o.MaxQueuedDecodeMegabytesPerClient * 1024L * 1024,
            o.MaxQueuedDecodeMegabytes * 1024L * 1024);
    }

    public ImageLimits Limits => preprocessor.Limits;

    /// <param name="client">Whose upload it is (<see cref="Clients.ClientAddress"/>): clients take turns.</param>
    public async Task<DigitImage> PreprocessAsync(byte[] upload, string client, CancellationToken cancellationToken)
    {
        IDisposable slot;
        try
        {
            slot = await slots.AcquireAsync(client, upload.Length, cancellationToken);
        }
        catch (DecodeRefusedException e) when (e.Refusal == DecodeRefusal.ClientLineFull)
        {
            throw new ProblemException(StatusCodes.Status429TooManyRequests, "Too many images waiting",
                $"This client has {e.WaitingBytes / 1024.0 / 1024:0.#} MB of images waiting to be decoded, its share of the line; clients' images are decoded in turn. "
                + "Send more once these are answered.") { RetryAfterSeconds = 1 };
        }
        catch (DecodeRefusedException)
        {
            throw new ProblemException(StatusCodes.Status503ServiceUnavailable, "Gateway busy",
                "Too many images are waiting to be decoded; this one was not accepted. Try again shortly.") { RetryAfterSeconds = 1 };
        }
        using (slot) return preprocessor.Preprocess(upload);
    }
}
