using static TorchSharp.torch;

namespace MnistEvents.Model.Networks;

/// <summary>Creates the network for an architecture and parses the names used on the command line and in manifests.</summary>
public static class NetworkFactory
{
    public static nn.Module<Tensor, Tensor> Create(Architecture architecture) => architecture switch
    {
        Architecture.Cnn => new MnistCnn(),
        Architecture.Mlp => new MnistMlp(),
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "unknown architecture"),
    };

    public static string Name(Architecture architecture) => architecture.ToString().ToLowerInvariant();

    public static bool TryParse(string? name, out Architecture architecture) =>
        Enum.TryParse(name, ignoreCase: true, out architecture) && Enum.IsDefined(architecture);
}
