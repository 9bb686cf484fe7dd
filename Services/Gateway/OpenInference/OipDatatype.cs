namespace MnistEvents.Gateway.OpenInference;

/// <summary>The protocol's tensor datatypes: the ones this model uses, and every name the protocol defines, so an unknown one is told apart from one not taken.</summary>
public static class OipDatatype
{
    public const string Uint8 = "UINT8";
    public const string Fp32 = "FP32";
    public const string Int64 = "INT64";
    public const string Bytes = "BYTES";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES", "BF16",
    };
}
