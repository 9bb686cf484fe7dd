using MnistEvents.Model.Inference;
using MnistEvents.Model.Store;
using MnistEvents.Registry;

namespace MnistEvents.Predictor.Serving;

/// <summary>
/// A loaded model with a lease count: the holder owns one lease, each batch in flight another. A model swapped out
/// is disposed only when its last batch has finished with it.
/// </summary>
public sealed class ServedModel
{
    private int leases = 1;

    public ServedModel(LoadedModel model)
    {
        Manifest = model.Manifest;
        Classifier = new DigitClassifier(model.Network);
    }

    public ModelManifest Manifest { get; }

    public DigitClassifier Classifier { get; }

    internal bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref leases);
            if (current == 0) return false;
            if (Interlocked.CompareExchange(ref leases, current + 1, current) == current) return true;
        }
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref leases) == 0) Classifier.Dispose();
    }
}
