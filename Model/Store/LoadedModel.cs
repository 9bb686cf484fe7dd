using MnistEvents.Registry;
using static TorchSharp.torch;

namespace MnistEvents.Model.Store;

/// <summary>A network read from a model file, with its manifest (synthesised for files saved without one, such as the seed's).</summary>
public sealed class LoadedModel(nn.Module<Tensor, Tensor> network, ModelManifest manifest) : IDisposable
{
    public nn.Module<Tensor, Tensor> Network { get; } = network;

    public ModelManifest Manifest { get; } = manifest;

    public void Dispose() => Network.Dispose();
}
