namespace MnistEvents.Predictor.Serving;

/// <summary>Keeps a model alive for one batch, even if it is swapped out meanwhile.</summary>
public readonly struct ModelLease(ServedModel model) : IDisposable
{
    public ServedModel Model { get; } = model;

    public void Dispose() => Model.Release();
}
