using System.Text;
using MnistEvents.Gateway.OpenInference;
using MnistEvents.Gateway.Problems;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// The one-pass reader of the common pixel request reads exactly what the document reader reads, and leaves every other
/// request (files, unusual order, anything wrong) to it, so a refusal never depends on which reader met the request.
/// </summary>
public class OipJsonPixelsTests
{
    private const int MaxDigits = 256;

    public static TheoryData<string, string> CommonRequests()
    {
        var random = new Random(20261205);
        var data = new TheoryData<string, string>();
        foreach (var (datatype, shapes) in new[] { ("UINT8", 3), ("FP32", 3) })
        {
            for (var s = 0; s < shapes; s++)
            {
                var n = random.Next(1, 5);
                var shape = s switch { 0 => $"[{n},28,28]", 1 => $"[{n},1,28,28]", _ => $"[{n},784]" };
                var values = Enumerable.Range(0, n * 784)
                    .Select(_ => datatype == "UINT8" ? random.Next(0, 256).ToString() : (random.Next(0, 256) / 255.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture))
                    .ToArray();
                var flat = string.Join(",", values);
                var nested = string.Join(",", values.Chunk(28).Select(row => $"[{string.Join(",", row)}]"));
                var input = $"\"name\": \"pixels\", \"datatype\": \"{datatype}\", \"shape\": {shape}";
                data.Add($"{datatype} {shape} flat", $"{{\"inputs\": [{{{input}, \"data\": [{flat}]}}]}}");
                data.Add($"{datatype} {shape} rows, with id, outputs, parameters and unknown fields",
                    $"{{\"id\": \"r{s}\", \"extra\": {{\"a\": [1, {{\"b\": null}}]}}, \"parameters\": {{\"subscription\": \"abc\", \"other\": 3}}, "
                    + $"\"outputs\": [{{\"name\": \"digit\", \"parameters\": {{}}}}], \"inputs\": [{{{input}, \"x\": true, \"data\": [{nested}]}}]}}");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CommonRequests))]
    public void ACommonPixelRequestIsReadInOnePassExactlyAsTheDocumentReaderReadsIt(string what, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        Assert.True(OipJsonPixels.TryParse(body, "v1", MaxDigits, out var fast), what);
        var whole = OipJsonRequest.ParseDocument(body, "v1", MaxDigits);
        Assert.Equal(whole.Id, fast!.Id);
        Assert.Equal(whole.Version, fast.Version);
        Assert.Equal(whole.Subscription, fast.Subscription);
        Assert.Equal(whole.Outputs, fast.Outputs);
        Assert.Equal(whole.Digits.Count, fast.Digits.Count);
        Assert.Equal(whole.Digits.Pixels, fast.Digits.Pixels);
    }

    public static TheoryData<string, string> LeftToTheDocumentReader() => new()
    {
        { "data before the shape (answered, by the document reader)", "{\"inputs\": [{\"name\": \"pixels\", \"data\": [" + Zeros(784) + "], \"datatype\": \"UINT8\", \"shape\": [1,784]}]}" },
        { "image files", "{\"inputs\": [{\"name\": \"image_file\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\"aGVsbG8=\"]}]}" },
        { "a duplicate property", "{\"id\": \"a\", \"id\": \"b\", \"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [" + Zeros(784) + "]}]}" },
        { "too few elements", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [" + Zeros(783) + "]}]}" },
        { "too many elements", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [" + Zeros(785) + "]}]}" },
        { "a UINT8 pixel that is a fraction", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [0.5," + Zeros(783) + "]}]}" },
        { "a pixel over the range", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"FP32\", \"shape\": [1,784], \"data\": [2," + Zeros(783) + "]}]}" },
        { "a string pixel", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [\"0\"," + Zeros(783) + "]}]}" },
        { "two inputs", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [" + Zeros(784) + "]}, {\"name\": \"pixels\"}]}" },
        { "an unknown output", "{\"outputs\": [{\"name\": \"logits\"}], \"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [" + Zeros(784) + "]}]}" },
        { "Triton's binary data", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"parameters\": {\"binary_data_size\": 784}}]}" },
        { "more digits than allowed", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [257,784], \"data\": []}]}" },
        { "trailing bytes", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [" + Zeros(784) + "]}]} x" },
        { "truncated", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [" + Zeros(400) },
        { "a number as the id", "{\"id\": 7, \"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [" + Zeros(784) + "]}]}" },
    };

    [Theory]
    [MemberData(nameof(LeftToTheDocumentReader))]
    public void AnythingElseIsLeftToTheDocumentReaderWhichAnswersOrRefusesItAlone(string what, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        Assert.False(OipJsonPixels.TryParse(body, null, MaxDigits, out _), what);
        // What the endpoint does with it is the document reader's answer, refusal and all.
        var viaParse = Record.Exception(() => OipJsonRequest.Parse(body, null, MaxDigits));
        var viaDocument = Record.Exception(() => OipJsonRequest.ParseDocument(body, null, MaxDigits));
        Assert.Equal((viaDocument as ProblemException)?.Status, (viaParse as ProblemException)?.Status);
        Assert.Equal(viaDocument?.Message, viaParse?.Message);
    }

    private static string Zeros(int count) => string.Join(",", Enumerable.Repeat("0", count));
}
