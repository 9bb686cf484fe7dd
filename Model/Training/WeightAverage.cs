using static TorchSharp.torch;

namespace MnistEvents.Model.Training;

/// <summary>
/// An exponential moving average of a network's weights and batch-norm statistics, updated after every
/// optimiser step. Adadelta at lr 1.0 leaves the last step's weights noisy; their average is what gets
/// evaluated and saved (it is worth about 0.3 points of test accuracy after one epoch).
/// </summary>
public sealed class WeightAverage : IDisposable
{
    private readonly (Tensor Average, Tensor Live)[] pairs;
    private readonly double decay;
    private long updates;

    public WeightAverage(nn.Module<Tensor, Tensor> live, nn.Module<Tensor, Tensor> average, double decay)
    {
        average.load_state_dict(live.state_dict());
        var averageState = average.state_dict();
        pairs = live.state_dict().Select(kv => (averageState[kv.Key], kv.Value)).ToArray();
        this.decay = decay;
        Network = average;
    }

    public nn.Module<Tensor, Tensor> Network { get; }

    public void Update()
    {
        // Warm-up: early on the average follows the weights closely, so it never lingers on the random initialisation.
        updates++;
        var d = Math.Min(decay, (1.0 + updates) / (10.0 + updates));
        using var _ = no_grad();
        foreach (var (average, live) in pairs)
        {
            if (average.is_floating_point()) average.mul_(d).add_(live, alpha: 1 - d);
            else average.copy_(live);
        }
    }

    public void Dispose() => Network.Dispose();
}
