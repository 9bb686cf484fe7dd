namespace MnistEvents.Gateway.OpenInference;

/// <summary>The one model this server offers under the Open Inference Protocol, its tensors' names, and their metadata.</summary>
public static class OipModel
{
    public const string Name = "mnist";

    /// <summary>Triton's name for a model run by libtorch, which TorchSharp is.</summary>
    public const string Platform = "pytorch_libtorch";

    /// <summary>Digits in MNIST's own form: white ink on black, 28×28, row-major.</summary>
    public const string PixelsInput = "pixels";

    /// <summary>Encoded image files (PNG, JPEG, GIF, BMP, WebP), preprocessed as <c>POST /prediction</c> does.</summary>
    public const string FilesInput = "image_file";

    public const string ProbabilitiesOutput = "probabilities";

    public const string DigitOutput = "digit";

    public static readonly IReadOnlyList<string> Outputs = [ProbabilitiesOutput, DigitOutput];

    public static readonly IReadOnlyList<OipTensorMetadata> InputMetadata =
    [
        new(PixelsInput, OipDatatype.Fp32, [-1, 1, 28, 28]),
        new(FilesInput, OipDatatype.Bytes, [-1]),
    ];

    public static readonly IReadOnlyList<OipTensorMetadata> OutputMetadata =
    [
        new(ProbabilitiesOutput, OipDatatype.Fp32, [-1, 10]),
        new(DigitOutput, OipDatatype.Int64, [-1]),
    ];

    /// <summary>What the metadata's fixed form cannot say: the other datatype and shapes <see cref="PixelsInput"/> takes, and that a request sends one input.</summary>
    public static IReadOnlyDictionary<string, string> Properties(int maxDigits) => new Dictionary<string, string>
    {
        [PixelsInput] = "UINT8 (0-255) or FP32 (0-1), white ink on black, shape [N,28,28], [N,1,28,28] or [N,784], data flat or nested, row-major",
        [FilesInput] = "BYTES [N]: each element one encoded image file (base64 in JSON), preprocessed as POST /prediction does",
        ["inputs"] = $"one input per request, {PixelsInput} or {FilesInput}",
        ["max_batch_size"] = maxDigits.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
