using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MnistEvents.Contracts;
using MnistEvents.Model.Inference;
using MnistEvents.Model.Store;
using MnistEvents.Registry;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// The Open Inference Protocol's REST routes on the embedded default, written from kserve/open-inference-protocol's
/// inference_rest.md with plain HTTP and JSON (no project types on the client side), against a replica serving the
/// seed's real MLP: answers are checked against the same model's own forward pass and against MNIST's labels.
/// </summary>
public class OipRestTests(AllInOneFactory factory) : IClassFixture<AllInOneFactory>
{
    private static readonly Lazy<DigitClassifier> Seed = new(() => new DigitClassifier(ModelStore.Load(TestData.Fixture("seed_mlp.pt")).Network));

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task TheServerDescribesItselfAndIsLiveAndReadyOnceAReplicaServes()
    {
        var server = await client.GetFromJsonAsync<JsonElement>("/v2");
        Assert.Equal("mnistevents", server.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(server.GetProperty("version").GetString()));
        Assert.Equal(JsonValueKind.Array, server.GetProperty("extensions").ValueKind);
        Assert.True((await client.GetFromJsonAsync<JsonElement>("/v2/health/live")).GetProperty("live").GetBoolean());

        await Poll.Until(async () => (await client.GetAsync("/v2/health/ready")).StatusCode == HttpStatusCode.OK, "the server ready");
        Assert.True((await client.GetFromJsonAsync<JsonElement>("/v2/health/ready")).GetProperty("ready").GetBoolean());
        var model = await client.GetFromJsonAsync<JsonElement>("/v2/models/mnist/ready");
        Assert.Equal("mnist", model.GetProperty("name").GetString());
        Assert.True(model.GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task ModelMetadataDeclaresTheInputsOutputsAndKeptVersions()
    {
        var kept = Models.SaveUntrainedVersion(new ModelRegistry(factory.ModelPath));

        var metadata = await client.GetFromJsonAsync<JsonElement>("/v2/models/mnist");

        Assert.Equal("mnist", metadata.GetProperty("name").GetString());
        Assert.Contains(kept.Version, metadata.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.False(string.IsNullOrEmpty(metadata.GetProperty("platform").GetString()));
        Assert.Equal(["pixels FP32 [-1,1,28,28]", "image_file BYTES [-1]"], Tensors(metadata.GetProperty("inputs")));
        Assert.Equal(["probabilities FP32 [-1,10]", "digit INT64 [-1]"], Tensors(metadata.GetProperty("outputs")));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v2/models/mnist/versions/{kept.Version}")).StatusCode);
    }

    [Theory]
    [InlineData("UINT8", "[N,28,28]", false)]
    [InlineData("UINT8", "[N,1,28,28]", true)]
    [InlineData("UINT8", "[N,784]", false)]
    [InlineData("FP32", "[N,28,28]", true)]
    [InlineData("FP32", "[N,1,28,28]", false)]
    [InlineData("FP32", "[N,784]", true)]
    public async Task ThirtyTwoRealTestDigitsInOneRequestAreAnsweredAsTheModelItselfAnswersThem(string datatype, string shape, bool nested)
    {
        // 32 consecutive MNIST test digits from a seeded random place: a different run of writers for each case.
        var first = new Random(datatype.Length * 31 + shape.Length * 7 + (nested ? 1 : 0)).Next(0, TestData.Test.Count - 32);
        var pixels = TestData.Test.Images.AsSpan(first * 784, 32 * 784).ToArray();
        var dims = shape switch { "[N,28,28]" => new[] { 32, 28, 28 }, "[N,1,28,28]" => [32, 1, 28, 28], _ => [32, 784] };
        var request = new JsonObject
        {
            ["id"] = $"digits-{first}",
            ["inputs"] = new JsonArray(Input("pixels", datatype, dims, Data(pixels, datatype, nested ? dims : [pixels.Length]))),
        };

        var response = await client.PostAsync("/v2/models/mnist/infer", Json(request));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"digits-{first}", answer.GetProperty("id").GetString());
        Assert.Equal("mnist", answer.GetProperty("model_name").GetString());
        Assert.StartsWith("unversioned-", answer.GetProperty("model_version").GetString());
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("parameters").GetProperty("replica").GetString()));
        var outputs = answer.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal([32, 10], outputs["probabilities"].GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal("FP32", outputs["probabilities"].GetProperty("datatype").GetString());
        Assert.Equal([32], outputs["digit"].GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal("INT64", outputs["digit"].GetProperty("datatype").GetString());
        var digits = outputs["digit"].GetProperty("data").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var probabilities = outputs["probabilities"].GetProperty("data").EnumerateArray().Select(p => p.GetSingle()).ToArray();
        var own = Seed.Value.Probabilities(pixels, 32);
        Assert.Equal(own.Select(p => DigitClassifier.ArgMax(p)), digits);
        Assert.Equal(own.SelectMany(p => p), probabilities, (a, b) => Math.Abs(a - b) < 1e-5f);
        var right = digits.Where((d, i) => d == TestData.Test.Labels[first + i]).Count();
        Assert.True(right >= 29, $"{right} of 32 test digits from {first} read right");
    }

    [Fact]
    public async Task OnlyTheOutputsAskedForAreAnswered()
    {
        var pixels = TestData.Test.Image(0).ToArray();
        var request = new JsonObject
        {
            ["inputs"] = new JsonArray(Input("pixels", "UINT8", [1, 784], Data(pixels, "UINT8", [784]))),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = "digit" }),
        };

        var answer = await (await client.PostAsync("/v2/models/mnist/infer", Json(request))).Content.ReadFromJsonAsync<JsonElement>();

        var output = Assert.Single(answer.GetProperty("outputs").EnumerateArray());
        Assert.Equal("digit", output.GetProperty("name").GetString());
        Assert.Equal(TestData.Test.Labels[0], output.GetProperty("data")[0].GetInt32());
        Assert.False(answer.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task ImageFilesAsBytesArePreprocessedAsPostPredictionPreprocessesThem()
    {
        var files = Enumerable.Range(40, 3).Select(Uploads.DigitPng).ToArray();
        var request = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "image_file", ["datatype"] = "BYTES", ["shape"] = new JsonArray(3),
                ["data"] = new JsonArray(files.Select(f => (JsonNode)Convert.ToBase64String(f)).ToArray()),
            }),
        };

        var response = await client.PostAsync("/v2/models/mnist/infer", Json(request));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var digits = answer.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "digit")
            .GetProperty("data").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var byUpload = new List<int>();
        foreach (var file in files)
            byUpload.Add((await (await client.PostAsync("/prediction", Uploads.Form(file))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("class_name").GetInt32());
        Assert.Equal(byUpload, digits);
    }

    [Fact]
    public async Task ANamedKeptVersionAnswersWithItsOwnNetworkNotTheServedOne()
    {
        var registry = new ModelRegistry(factory.ModelPath);
        var kept = Models.SaveUntrainedVersion(registry);
        using var own = new DigitClassifier(ModelStore.Load(registry.VersionModelPath(kept.Version)).Network);
        var pixels = TestData.Test.Images.AsSpan(0, 4 * 784).ToArray();
        var request = new JsonObject { ["inputs"] = new JsonArray(Input("pixels", "UINT8", [4, 28, 28], Data(pixels, "UINT8", [pixels.Length]))) };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v2/models/mnist/versions/{kept.Version}/ready")).StatusCode);
        var response = await client.PostAsync($"/v2/models/mnist/versions/{kept.Version}/infer", Json(request));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(kept.Version, answer.GetProperty("model_version").GetString());
        Assert.Equal($"/models/{kept.Version}/lineage", answer.GetProperty("parameters").GetProperty("lineage").GetString());
        var probabilities = answer.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "probabilities")
            .GetProperty("data").EnumerateArray().Select(p => p.GetSingle()).ToArray();
        Assert.Equal(own.Probabilities(pixels, 4).SelectMany(p => p), probabilities, (a, b) => Math.Abs(a - b) < 1e-5f);
        Assert.NotEqual(Seed.Value.Probabilities(pixels, 4).SelectMany(p => p), probabilities, (a, b) => Math.Abs(a - b) < 1e-5f);
        // The served model is still the seed's.
        var served = await (await client.PostAsync("/v2/models/mnist/infer", Json(request))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("unversioned-", served.GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task MoreKeptVersionsThanAReplicaHoldsAreLoadedInTurnAndEachAnswersWithItsOwnNetwork()
    {
        // A replica holds two kept versions besides the served one (Predictor:KeptVersionsLoaded): the fourth request reloads the first.
        var registry = new ModelRegistry(factory.ModelPath);
        var kept = Enumerable.Range(0, 3).Select(_ => Models.SaveUntrainedVersion(registry)).ToArray();
        var pixels = TestData.Test.Images.AsSpan(784 * 100, 2 * 784).ToArray();
        var request = new JsonObject { ["inputs"] = new JsonArray(Input("pixels", "UINT8", [2, 784], Data(pixels, "UINT8", [pixels.Length]))) };

        foreach (var version in kept.Append(kept[0]).Select(m => m.Version))
        {
            using var own = new DigitClassifier(ModelStore.Load(registry.VersionModelPath(version)).Network);
            var answer = await (await client.PostAsync($"/v2/models/mnist/versions/{version}/infer", Json(request))).Content.ReadFromJsonAsync<JsonElement>();

            Assert.Equal(version, answer.GetProperty("model_version").GetString());
            var probabilities = answer.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(p => p.GetSingle());
            Assert.Equal(own.Probabilities(pixels, 2).SelectMany(p => p), probabilities, (a, b) => Math.Abs(a - b) < 1e-5f);
        }
    }

    public static TheoryData<string, string, int> Malformed => new()
    {
        { "broken JSON", "{\"inputs\": [", 400 },
        { "not an object", "[1, 2]", 400 },
        { "empty inputs", "{\"inputs\": []}", 400 },
        { "no inputs", "{\"id\": \"1\"}", 400 },
        { "two inputs", $"{{\"inputs\": [{Zeros("pixels", "UINT8", "[1,784]", 784)}, {Zeros("pixels", "UINT8", "[1,784]", 784)}]}}", 400 },
        { "unknown input name", $"{{\"inputs\": [{Zeros("image", "UINT8", "[1,784]", 784)}]}}", 400 },
        { "unknown datatype", $"{{\"inputs\": [{Zeros("pixels", "FP99", "[1,784]", 784)}]}}", 400 },
        { "a datatype the input does not take", $"{{\"inputs\": [{Zeros("pixels", "INT32", "[1,784]", 784)}]}}", 400 },
        { "a shape the model does not take", $"{{\"inputs\": [{Zeros("pixels", "UINT8", "[1,27,28]", 756)}]}}", 400 },
        { "fewer elements than the shape", $"{{\"inputs\": [{Zeros("pixels", "UINT8", "[2,784]", 784)}]}}", 400 },
        { "more elements than the shape", $"{{\"inputs\": [{Zeros("pixels", "UINT8", "[1,784]", 785)}]}}", 400 },
        { "a negative dimension", $"{{\"inputs\": [{Zeros("pixels", "UINT8", "[-1,784]", 784)}]}}", 400 },
        { "no digits", $"{{\"inputs\": [{Zeros("pixels", "UINT8", "[0,784]", 0)}]}}", 400 },
        { "a UINT8 pixel over 255", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [300" + string.Concat(Enumerable.Repeat(",0", 783)) + "]}]}", 400 },
        { "an FP32 pixel over 1", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"FP32\", \"shape\": [1,784], \"data\": [1.5" + string.Concat(Enumerable.Repeat(",0", 783)) + "]}]}", 400 },
        { "a pixel that is a string", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [\"0\"" + string.Concat(Enumerable.Repeat(",0", 783)) + "]}]}", 400 },
        { "an unknown output", $"{{\"inputs\": [{Zeros("pixels", "UINT8", "[1,784]", 784)}], \"outputs\": [{{\"name\": \"logits\"}}]}}", 400 },
        { "an id that is not a string", $"{{\"id\": 7, \"inputs\": [{Zeros("pixels", "UINT8", "[1,784]", 784)}]}}", 400 },
        { "a file that is not base64", "{\"inputs\": [{\"name\": \"image_file\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\"not base64!\"]}]}", 400 },
        { "a file that is not an image", "{\"inputs\": [{\"name\": \"image_file\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\"aGVsbG8gd29ybGQ=\"]}]}", 400 },
        { "Triton's binary data", "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"parameters\": {\"binary_data_size\": 784}}]}", 400 },
        { "huge N", $"{{\"inputs\": [{Zeros("pixels", "UINT8", "[100000000,784]", 784)}]}}", 413 },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedInferenceRequestIsRefusedWithTheProtocolsErrorInWords(string what, string body, int status)
    {
        var response = await client.PostAsync("/v2/models/mnist/infer", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        await AssertProtocolError(response, what);
    }

    [Theory]
    [InlineData("GET", "/v2/models/fashion")]
    [InlineData("GET", "/v2/models/fashion/ready")]
    [InlineData("GET", "/v2/models/mnist/versions/20990101-000000-deadbeef")]
    [InlineData("POST", "/v2/models/mnist/versions/20990101-000000-deadbeef/infer")]
    [InlineData("POST", "/v2/models/fashion/infer")]
    [InlineData("GET", "/v2/nothing/here")]
    public async Task AnUnknownModelVersionOrRouteIsANotFoundInTheProtocolsForm(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? new StringContent($"{{\"inputs\": [{Zeros("pixels", "UINT8", "[1,784]", 784)}]}}", Encoding.UTF8, "application/json") : null,
        };

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await AssertProtocolError(response, path);
    }

    [Fact]
    public async Task TritonsBinaryTensorExtensionIsRefusedInWordsThatSayHowToSendJson()
    {
        var json = $"{{\"inputs\": [{{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"parameters\": {{\"binary_data_size\": 784}}}}]}}";
        var body = new ByteArrayContent([.. Encoding.UTF8.GetBytes(json), .. new byte[784]]);
        body.Headers.Add("Inference-Header-Content-Length", Encoding.UTF8.GetByteCount(json).ToString());

        var response = await client.PostAsync("/v2/models/mnist/infer", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("binary_data=False", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task ABodyOverTheByteLimitIsATooLargeInTheProtocolsForm()
    {
        // The factory allows 200,000 bytes a request: 300,000 digits of "0," is past it before the shape is looked at.
        var body = $"{{\"inputs\": [{Zeros("pixels", "UINT8", "[200,784]", 200 * 784)}]}}";

        var response = await client.PostAsync("/v2/models/mnist/infer", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertProtocolError(response, "a body past the limit");
    }

    private static async Task AssertProtocolError(HttpResponseMessage response, string what)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        var property = Assert.Single(error.EnumerateObject());
        Assert.Equal("error", property.Name);
        Assert.True(property.Value.GetString()!.Length > 10, $"{what}: '{property.Value}' says what was wrong");
    }

    private static string Zeros(string name, string datatype, string shape, int count) =>
        $"{{\"name\": \"{name}\", \"datatype\": \"{datatype}\", \"shape\": {shape}, \"data\": [{string.Join(",", Enumerable.Repeat("0", count))}]}}";

    private static JsonObject Input(string name, string datatype, int[] shape, JsonArray data) => new()
    {
        ["name"] = name, ["datatype"] = datatype, ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()), ["data"] = data,
    };

    // The tensor's elements in row-major order, nested as the shape says or flat.
    private static JsonArray Data(byte[] pixels, string datatype, int[] shape)
    {
        var index = 0;
        JsonArray Level(int depth) => new(Enumerable.Range(0, shape[depth]).Select(_ => depth == shape.Length - 1
            ? datatype == "UINT8" ? (JsonNode)(int)pixels[index++] : pixels[index++] / 255f
            : Level(depth + 1)).ToArray());
        return Level(0);
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static string[] Tensors(JsonElement tensors) => tensors.EnumerateArray()
        .Select(t => $"{t.GetProperty("name").GetString()} {t.GetProperty("datatype").GetString()} [{string.Join(",", t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()))}]")
        .ToArray();
}
