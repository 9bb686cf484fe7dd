using System.Text.Json;
using MnistEvents.Imaging;

namespace MnistEvents.Gateway.OpenInference;

/// <summary>
/// Reads the protocol's JSON inference request: one input, its tensor data flat or nested (row-major), pixels as JSON
/// numbers and image files as base64 strings. Every way to get it wrong is a 400 that says where. The common well-formed
/// pixel request is read in one pass by <see cref="OipJsonPixels"/>; whatever that does not take is read here.
/// </summary>
public static class OipJsonRequest
{
    public static OipInferRequest Parse(ReadOnlyMemory<byte> body, string? version, int maxDigits) =>
        OipJsonPixels.TryParse(body.Span, version, maxDigits, out var common) ? common! : ParseDocument(body, version, maxDigits);

    /// <summary>Any request, read whole as a <see cref="JsonDocument"/>: the reader of record, and the one that refuses.</summary>
    public static OipInferRequest ParseDocument(ReadOnlyMemory<byte> body, string? version, int maxDigits)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw OipRules.BadRequest($"the body is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw OipRules.BadRequest($"the body is a JSON {Kind(root)}; an inference request is an object with 'inputs'");
            var id = root.TryGetProperty("id", out var idElement)
                ? idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : throw OipRules.BadRequest($"'id' is a {Kind(idElement)}; it must be a string")
                : null;
            if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array)
                throw OipRules.BadRequest("the request has no 'inputs' array");
            if (inputs.GetArrayLength() == 0) throw OipRules.BadRequest($"'inputs' is empty: send one input, '{OipModel.PixelsInput}' or '{OipModel.FilesInput}'");
            if (inputs.GetArrayLength() > 1)
                throw OipRules.BadRequest($"'inputs' has {inputs.GetArrayLength()} inputs; this model takes one, '{OipModel.PixelsInput}' or '{OipModel.FilesInput}'");
            var digits = Input(inputs[0], maxDigits);
            var subscription = root.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                ? String(parameters, "subscription")
                : null;
            return new OipInferRequest(id, version, digits, OipRules.Outputs(Outputs(root)), subscription);
        }
    }

    private static OipDigits Input(JsonElement input, int maxDigits)
    {
        if (input.ValueKind != JsonValueKind.Object) throw OipRules.BadRequest($"inputs[0] is a {Kind(input)}; an input is an object");
        var name = String(input, "name");
        var datatype = String(input, "datatype");
        if (!input.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw OipRules.BadRequest($"input '{name}' has no 'shape' array");
        var shape = shapeElement.EnumerateArray()
            .Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var n) ? n : throw OipRules.BadRequest($"input '{name}' has a shape element {d.GetRawText()}; each is a whole number"))
            .ToArray();
        if (input.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("binary_data_size", out _))
            throw OipRules.BadRequest($"input '{name}' is sent as binary data (Triton's binary tensor extension), which this server does not take; send its data in JSON");
        var count = OipRules.Digits(name, datatype, shape, maxDigits);
        if (!input.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            throw OipRules.BadRequest($"input '{name}' has no 'data' array");

        if (name == OipModel.FilesInput) return new OipDigits(count, null, Files(data, count));
        var pixels = new byte[count * DigitImage.PixelCount];
        var filled = 0;
        Fill(data, pixels, ref filled, datatype == OipDatatype.Uint8, shape);
        if (filled != pixels.Length)
            throw OipRules.BadRequest($"input '{name}' has {filled:N0} elements; its shape {OipRules.Show(shape)} needs {pixels.Length:N0}");
        return new OipDigits(count, pixels, null);
    }

    // Nested or flat alike: the elements in the order they come are the row-major tensor.
    private static void Fill(JsonElement array, byte[] pixels, ref int filled, bool uint8, long[] shape)
    {
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                Fill(element, pixels, ref filled, uint8, shape);
                continue;
            }
            if (filled == pixels.Length)
                throw OipRules.BadRequest($"input '{OipModel.PixelsInput}' has more elements than its shape {OipRules.Show(shape)} holds ({pixels.Length:N0})");
            if (element.ValueKind != JsonValueKind.Number)
                throw OipRules.BadRequest($"input '{OipModel.PixelsInput}' element {filled} is a {Kind(element)}; pixels are JSON numbers");
            pixels[filled] = uint8
                ? element.TryGetInt64(out var whole) ? OipRules.Pixel(whole, filled)
                    : throw OipRules.BadRequest($"input '{OipModel.PixelsInput}' element {filled} is {element.GetRawText()}; UINT8 pixels are whole numbers 0 to 255")
                : OipRules.Pixel(element.TryGetDouble(out var fraction) ? fraction : double.NaN, filled);
            filled++;
        }
    }

    private static byte[][] Files(JsonElement data, int count)
    {
        var files = data.EnumerateArray().SelectMany(Flatten).ToArray();
        if (files.Length != count)
            throw OipRules.BadRequest($"input '{OipModel.FilesInput}' has {files.Length} elements; its shape [{count}] needs {count}");
        return files.Select((file, i) =>
        {
            if (file.ValueKind != JsonValueKind.String)
                throw OipRules.BadRequest($"input '{OipModel.FilesInput}' element {i} is a {Kind(file)}; each is an image file in a base64 string");
            return file.TryGetBytesFromBase64(out var bytes)
                ? bytes
                : throw OipRules.BadRequest($"input '{OipModel.FilesInput}' element {i} is not base64; each is an image file in a base64 string");
        }).ToArray();
    }

    private static IEnumerable<JsonElement> Flatten(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().SelectMany(Flatten) : [element];

    private static List<string?> Outputs(JsonElement root)
    {
        if (!root.TryGetProperty("outputs", out var outputs)) return [];
        if (outputs.ValueKind != JsonValueKind.Array) throw OipRules.BadRequest($"'outputs' is a {Kind(outputs)}; it is an array of {{\"name\": ...}}");
        return outputs.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.Object ? String(o, "name") : null).ToList();
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
