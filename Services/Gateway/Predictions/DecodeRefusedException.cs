namespace MnistEvents.Gateway.Predictions;

/// <summary>An image <see cref="FairDecodeQueue"/> would not line up; <see cref="Waiting"/> is how many of its client's already wait.</summary>
public sealed class DecodeRefusedException(DecodeRefusal refusal, int waiting) : Exception(refusal.ToString())
{
    public DecodeRefusal Refusal { get; } = refusal;

    public int Waiting { get; } = waiting;
}
