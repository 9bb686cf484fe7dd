using MnistEvents.Gateway.Problems;
using MnistEvents.Imaging;

namespace MnistEvents.Gateway.OpenInference;

/// <summary>What an inference request's input and outputs may be, one place for REST and gRPC, with the refusal for each way to get it wrong.</summary>
public static class OipRules
{
    private static readonly string Inputs =
        $"this model's inputs are '{OipModel.PixelsInput}' (UINT8 or FP32, [N,28,28], [N,1,28,28] or [N,784]) and '{OipModel.FilesInput}' (BYTES [N])";

    /// <summary>The number of digits an input of this name, datatype and shape holds; refused when the model takes no such input.</summary>
    public static int Digits(string? name, string? datatype, IReadOnlyList<long> shape, int maxDigits)
    {
        if (name is not (OipModel.PixelsInput or OipModel.FilesInput)) throw BadRequest($"unknown input '{name}': {Inputs}");
        if (datatype is null || !OipDatatype.All.Contains(datatype))
            throw BadRequest($"unknown datatype '{datatype}' for input '{name}': the protocol's are {string.Join(", ", OipDatatype.All)}");
        if (name == OipModel.PixelsInput && datatype is not (OipDatatype.Uint8 or OipDatatype.Fp32))
            throw BadRequest($"input '{name}' takes UINT8 (0-255) or FP32 (0-1), not {datatype}");
        if (name == OipModel.FilesInput && datatype != OipDatatype.Bytes)
            throw BadRequest($"input '{name}' takes BYTES (encoded image files), not {datatype}");
        if (shape.Any(d => d < 0)) throw BadRequest($"input '{name}' has shape {Show(shape)}: a dimension cannot be negative");

        var fits = name == OipModel.FilesInput
            ? shape.Count == 1
            : shape.Count switch
            {
                2 => shape[1] == DigitImage.PixelCount,
                3 => shape[1] == DigitImage.Side && shape[2] == DigitImage.Side,
                4 => shape[1] == 1 && shape[2] == DigitImage.Side && shape[3] == DigitImage.Side,
                _ => false,
            };
        if (!fits)
        {
            throw BadRequest(name == OipModel.FilesInput
                ? $"input '{name}' has shape {Show(shape)}; it takes [N], one encoded image file per digit"
                : $"input '{name}' has shape {Show(shape)}; it takes [N,28,28], [N,1,28,28] or [N,784]");
        }
        if (shape[0] == 0) throw BadRequest($"input '{name}' has shape {Show(shape)}: no digits to classify");
        if (shape[0] > maxDigits)
            throw new ProblemException(StatusCodes.Status413PayloadTooLarge, "Too many digits",
                $"input '{name}' has shape {Show(shape)}: {shape[0]:N0} digits; one request may hold at most {maxDigits:N0}");
        return (int)shape[0];
    }

    /// <summary>The outputs asked for, each once, in the order asked; all of them when none are named.</summary>
    public static IReadOnlyList<string> Outputs(IReadOnlyList<string?> asked)
    {
        if (asked.Count == 0) return OipModel.Outputs;
        foreach (var name in asked)
        {
            if (name is null || !OipModel.Outputs.Contains(name))
                throw BadRequest($"unknown output '{name}': this model's outputs are '{OipModel.ProbabilitiesOutput}' (FP32 [N,10]) and '{OipModel.DigitOutput}' (INT64 [N])");
        }
        return asked.Distinct().ToArray()!;
    }

    /// <summary>An FP32 pixel (0 to 1) as the byte the model reads.</summary>
    public static byte Pixel(double value, long index) => double.IsFinite(value) && value is >= 0 and <= 1
        ? (byte)Math.Round(value * 255)
        : throw BadRequest($"input '{OipModel.PixelsInput}' element {index} is {value}; FP32 pixels are 0 to 1");

    /// <summary>A UINT8 pixel given as a wider number.</summary>
    public static byte Pixel(long value, long index) => value is >= 0 and <= 255
        ? (byte)value
        : throw BadRequest($"input '{OipModel.PixelsInput}' element {index} is {value}; UINT8 pixels are 0 to 255");

    public static string Show(IReadOnlyList<long> shape) => $"[{string.Join(",", shape)}]";

    public static ProblemException BadRequest(string message) => new(StatusCodes.Status400BadRequest, "Bad inference request", message);

    public static ProblemException NotFound(string message) => new(StatusCodes.Status404NotFound, "Unknown model", message);
}
