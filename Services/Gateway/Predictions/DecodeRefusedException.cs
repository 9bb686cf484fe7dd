namespace MnistEvents.Gateway.Predictions;

/// <summary>An upload <see cref="FairDecodeQueue"/> would not line up, or gave up for another client's; <see cref="WaitingBytes"/> is what its client's line holds.</summary>
public sealed class DecodeRefusedException(DecodeRefusal refusal, long waitingBytes) : Exception(refusal.ToString())
{
    public DecodeRefusal Refusal { get; } = refusal;

    public long WaitingBytes { get; } = waitingBytes;
}
