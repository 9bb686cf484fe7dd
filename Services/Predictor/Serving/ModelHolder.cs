using MnistEvents.Model.Store;
using MnistEvents.Registry;

namespace MnistEvents.Predictor.Serving;

/// <summary>The model this replica serves. Swaps are atomic; batches already running finish on the model they started with.</summary>
public sealed class ModelHolder
{
    private ServedModel? current;

    public ModelManifest? Manifest => Volatile.Read(ref current)?.Manifest;

    /// <summary>Raised after every change of model, with the new manifest.</summary>
    public event Action<ModelManifest>? Changed;

    public bool TryLease(out ModelLease lease)
    {
        while (Volatile.Read(ref current) is { } model)
        {
            if (model.TryAcquire())
            {
                lease = new ModelLease(model);
                return true;
            }
        }
        lease = default;
        return false;
    }

    public void Swap(ServedModel next)
    {
        Interlocked.Exchange(ref current, next)?.Release();
        Changed?.Invoke(next.Manifest);
    }

    /// <summary>Serves <paramref name="first"/> only if nothing is served yet (a <c>ModelActivated</c> may have won the race).</summary>
    public bool TrySetInitial(ServedModel first)
    {
        if (Interlocked.CompareExchange(ref current, first, null) is not null)
        {
            first.Release();
            return false;
        }
        Changed?.Invoke(first.Manifest);
        return true;
    }
}
