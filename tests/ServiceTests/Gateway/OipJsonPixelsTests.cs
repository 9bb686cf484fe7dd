using System.Text;
using Microsoft.AspNetCore.Http;
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
        string[] separators = [",", ", ", ",\n    ", "\r\n,"];
        foreach (var (datatype, shapes) in new[] { ("UINT8", 3), ("FP32", 3) })
        {
            for (var s = 0; s < shapes; s++)
            {
                var n = random.Next(1, 5);
                var shape = s switch { 0 => $"[{n},28,28]", 1 => $"[{n},1,28,28]", _ => $"[{n},784]" };
                var values = Enumerable.Range(0, n * 784)
                    .Select(_ => datatype == "UINT8" ? random.Next(0, 256).ToString() : (random.Next(0, 256) / 255.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture))
                    .ToArray();
                // JSON's whitespace, as pretty-printers and hand-written requests put it between the numbers.
                var comma = separators[random.Next(separators.Length)];
                var flat = string.Join(comma, values);
                var nested = string.Join(comma, values.Chunk(28).Select(row => $"[ {string.Join(comma, row)}\t]"));
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
    public void ACommonPixelRequestIsReadInOnePassExactlyAsTheDocumentReaderReadsIt(string what, string json) => AssertReadAlike(what, json);

    public static TheoryData<string, string> UnusualButValidUint8Data() => new()
    {
        { "empty arrays among the numbers", Uint8Data("[]," + Zeros(784) + ",[[]]") },
        { "whitespace around every number and bracket", Uint8Data(" \n[ " + string.Join(" ,\t", Enumerable.Range(0, 784).Select(i => (i % 256).ToString())) + " ] \r\n") },
        { "a rank-4 tensor's nesting", Uint8Data("[[[" + string.Join("],[", Enumerable.Range(0, 28).Select(r => string.Join(",", Enumerable.Range(0, 28).Select(c => (r * c % 256).ToString())))) + "]]]") },
        { "the largest and smallest pixels", Uint8Data("255,0,10,100,200," + Zeros(779)) },
    };

    [Theory]
    [MemberData(nameof(UnusualButValidUint8Data))]
    public void UnusualButValidUint8DataIsReadInOnePassExactlyAsTheDocumentReaderReadsIt(string what, string json) => AssertReadAlike(what, json);

    private static void AssertReadAlike(string what, string json)
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
        { "a UINT8 pixel with a leading zero (not JSON)", Uint8Data("01," + Zeros(783)) },
        { "a UINT8 pixel with a sign", Uint8Data("-0," + Zeros(783)) },
        { "a UINT8 pixel with an exponent", Uint8Data("1e2," + Zeros(783)) },
        { "a UINT8 pixel of 256", Uint8Data(Zeros(783) + ",256") },
        { "a UINT8 pixel of many digits", Uint8Data(Zeros(783) + ",99999999999999999999999") },
        { "a trailing comma in the data", Uint8Data(Zeros(784) + ",") },
        { "two commas in a row", Uint8Data("0,," + Zeros(783)) },
        { "a null pixel", Uint8Data("null," + Zeros(783)) },
        { "data nested deeper than a tensor of rank 4 (answered, by the document reader)", Uint8Data("[[[[" + Zeros(784) + "]]]]") },
        { "too few elements in rows", Uint8Data("[" + Zeros(783) + "]") },
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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MutatedPixelRequestsGetTheSameAnswerOrRefusalFromBothReaders(int seed)
    {
        // JSON's own bytes, digits and the bytes a number must not hold, written into a valid request the way a fuzzer
        // damages one: one to three replaced, inserted, deleted or repeated spans, or a truncation.
        byte[] alphabet = [.. "[]{},:\" \n\t-+.eE0123456789nx"u8, 0x00, 0xC3, 0xFF];
        var random = new Random(seed);
        var answered = 0;
        for (var i = 0; i < 1500; i++)
        {
            var values = Enumerable.Range(0, 784).Select(_ => random.Next(0, 4) == 0 ? random.Next(0, 256) : 0).Select(v => v.ToString());
            var data = random.Next(2) == 0 ? string.Join(",", values) : string.Join(", ", values.Chunk(28).Select(row => $"[{string.Join(",", row)}]"));
            var body = Encoding.UTF8.GetBytes(Uint8Data(data)).ToList();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(body.Count);
                switch (random.Next(5))
                {
                    case 0: body[at] = alphabet[random.Next(alphabet.Length)]; break;
                    case 1: body.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    case 2: body.RemoveRange(at, Math.Min(random.Next(1, 8), body.Count - at)); break;
                    case 3: body.InsertRange(at, body.GetRange(at, Math.Min(random.Next(1, 8), body.Count - at))); break;
                    default: body.RemoveRange(at, body.Count - at); break;
                }
            }
            var bytes = body.ToArray();

            var whole = Outcome(() => OipJsonRequest.ParseDocument(bytes, null, MaxDigits));
            var either = Outcome(() => OipJsonRequest.Parse(bytes, null, MaxDigits));
            Assert.Equal(whole, either);
            // The document reader refuses only in words: anything else would be a 5xx.
            Assert.True(whole.Refusal is null || whole.Status == StatusCodes.Status400BadRequest, whole.Refusal);
            if (whole.Refusal is null) answered++;
        }
        // Some damage leaves a valid request (a digit changed, whitespace added): those are read alike too.
        Assert.InRange(answered, 1, 1499);
    }

    private static (string? Refusal, int? Status, string? Pixels) Outcome(Func<OipInferRequest> parse)
    {
        try
        {
            var request = parse();
            return (null, null, Convert.ToHexString(request.Digits.Pixels!));
        }
        catch (ProblemException e)
        {
            return (e.Message, e.Status, null);
        }
    }

    private static string Uint8Data(string data) => "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [" + data + "]}]}";

    private static string Zeros(int count) => string.Join(",", Enumerable.Repeat("0", count));
}
