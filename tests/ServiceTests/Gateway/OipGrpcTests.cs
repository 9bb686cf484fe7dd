using System.Buffers.Binary;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Inference;
using MnistEvents.Model.Inference;
using MnistEvents.Model.Store;
using MnistEvents.Registry;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// The Open Inference Protocol's gRPC service on the embedded default, through a client generated from the protocol's
/// own .proto (Grpc.Tools) with none of the project's types, against a replica serving the seed's real MLP; answers are
/// checked against the same model's own forward pass.
/// </summary>
public class OipGrpcTests(AllInOneFactory factory) : IClassFixture<AllInOneFactory>, IDisposable
{
    private static readonly Lazy<DigitClassifier> Seed = new(() => new DigitClassifier(ModelStore.Load(TestData.Fixture("seed_mlp.pt")).Network));

    private readonly GrpcChannel channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });

    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(channel);

    public void Dispose() => channel.Dispose();

    [Fact]
    public async Task TheServerAndModelDescribeThemselvesAndAreReadyOnceAReplicaServes()
    {
        Assert.True((await Client.ServerLiveAsync(new ServerLiveRequest())).Live);
        await Poll.Until(async () => (await Client.ServerReadyAsync(new ServerReadyRequest())).Ready, "the server ready");
        Assert.True((await Client.ModelReadyAsync(new ModelReadyRequest { Name = "mnist" })).Ready);
        var server = await Client.ServerMetadataAsync(new ServerMetadataRequest());
        Assert.Equal("mnistevents", server.Name);

        var model = await Client.ModelMetadataAsync(new ModelMetadataRequest { Name = "mnist" });

        Assert.Equal(["pixels FP32 [-1,1,28,28]", "image_file BYTES [-1]"], model.Inputs.Select(t => $"{t.Name} {t.Datatype} [{string.Join(",", t.Shape)}]"));
        Assert.Equal(["probabilities FP32 [-1,10]", "digit INT64 [-1]"], model.Outputs.Select(t => $"{t.Name} {t.Datatype} [{string.Join(",", t.Shape)}]"));
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => Client.ModelMetadataAsync(new ModelMetadataRequest { Name = "fashion" }).ResponseAsync)).StatusCode);
    }

    [Theory]
    [InlineData("UINT8", false)]
    [InlineData("UINT8", true)]
    [InlineData("FP32", false)]
    [InlineData("FP32", true)]
    public async Task ThirtyTwoRealTestDigitsAreAnsweredAsTheModelItselfAnswersThemInTypedOrRawContents(string datatype, bool raw)
    {
        var first = new Random(datatype.Length * 2 + (raw ? 1 : 0)).Next(0, TestData.Test.Count - 32);
        var pixels = TestData.Test.Images.AsSpan(first * 784, 32 * 784).ToArray();
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "pixels", Datatype = datatype, Shape = { 32, 1, 28, 28 } };
        var request = new ModelInferRequest { ModelName = "mnist", Id = $"grpc-{first}", Inputs = { input } };
        if (raw) request.RawInputContents.Add(ByteString.CopyFrom(datatype == "UINT8" ? pixels : pixels.SelectMany(p => BitConverter.GetBytes(p / 255f)).ToArray()));
        else if (datatype == "UINT8") input.Contents = new InferTensorContents { UintContents = { pixels.Select(p => (uint)p) } };
        else input.Contents = new InferTensorContents { Fp32Contents = { pixels.Select(p => p / 255f) } };

        var response = await Client.ModelInferAsync(request);

        Assert.Equal($"grpc-{first}", response.Id);
        Assert.StartsWith("unversioned-", response.ModelVersion);
        Assert.False(string.IsNullOrEmpty(response.Parameters["replica"].StringParam));
        var probabilities = Floats(response, "probabilities", raw);
        var digits = Longs(response, "digit", raw);
        var own = Seed.Value.Probabilities(pixels, 32);
        Assert.Equal(own.Select(p => (long)DigitClassifier.ArgMax(p)), digits);
        Assert.Equal(own.SelectMany(p => p), probabilities, (a, b) => Math.Abs(a - b) < 1e-5f);
        Assert.True(digits.Where((d, i) => d == TestData.Test.Labels[first + i]).Count() >= 29);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ImageFilesAsBytesAreAnsweredAsPostPredictionAnswersThem(bool raw)
    {
        var files = Enumerable.Range(60, 3).Select(Uploads.DigitPng).ToArray();
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "image_file", Datatype = "BYTES", Shape = { 3 } };
        var request = new ModelInferRequest { ModelName = "mnist", Inputs = { input }, Outputs = { new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "digit" } } };
        if (raw) request.RawInputContents.Add(ByteString.CopyFrom(files.SelectMany(f => BitConverter.GetBytes((uint)f.Length).Concat(f)).ToArray()));
        else input.Contents = new InferTensorContents { BytesContents = { files.Select(ByteString.CopyFrom) } };

        var response = await Client.ModelInferAsync(request);

        var output = Assert.Single(response.Outputs);
        Assert.Equal("digit", output.Name);
        var expected = files.Select(f => (long)DigitClassifier.ArgMax(Seed.Value.Probabilities(new Imaging.DigitPreprocessor().Preprocess(f).Pixels))).ToArray();
        Assert.Equal(expected, Longs(response, "digit", raw));
    }

    [Fact]
    public async Task ANamedKeptVersionAnswersWithItsOwnNetwork()
    {
        var registry = new ModelRegistry(factory.ModelPath);
        var kept = Models.SaveUntrainedVersion(registry);
        using var own = new DigitClassifier(ModelStore.Load(registry.VersionModelPath(kept.Version)).Network);
        var pixels = TestData.Test.Images.AsSpan(0, 2 * 784).ToArray();
        var request = new ModelInferRequest
        {
            ModelName = "mnist", ModelVersion = kept.Version, RawInputContents = { ByteString.CopyFrom(pixels) },
            Inputs = { new ModelInferRequest.Types.InferInputTensor { Name = "pixels", Datatype = "UINT8", Shape = { 2, 28, 28 } } },
        };

        var response = await Client.ModelInferAsync(request);

        Assert.Equal(kept.Version, response.ModelVersion);
        Assert.Equal(own.Probabilities(pixels, 2).SelectMany(p => p), Floats(response, "probabilities", raw: true), (a, b) => Math.Abs(a - b) < 1e-5f);
        // Ready means a replica has reported serving; an answer can come before its first report, as it did once in a fresh class fixture.
        await Poll.Until(async () => (await Client.ServerReadyAsync(new ServerReadyRequest())).Ready, "the server ready");
        Assert.True((await Client.ModelReadyAsync(new ModelReadyRequest { Name = "mnist", Version = kept.Version })).Ready);
    }

    public static TheoryData<string, StatusCode> Malformed => new()
    {
        { "truncated raw tensor", StatusCode.InvalidArgument },
        { "raw BYTES element cut short", StatusCode.InvalidArgument },
        { "fewer typed contents than the shape", StatusCode.InvalidArgument },
        { "contents and raw both", StatusCode.InvalidArgument },
        { "no contents", StatusCode.InvalidArgument },
        { "unknown datatype", StatusCode.InvalidArgument },
        { "unknown input name", StatusCode.InvalidArgument },
        { "empty inputs", StatusCode.InvalidArgument },
        { "wrong shape", StatusCode.InvalidArgument },
        { "a UINT8 pixel over 255", StatusCode.InvalidArgument },
        { "an unknown output", StatusCode.InvalidArgument },
        { "huge N", StatusCode.ResourceExhausted },
        { "unknown model", StatusCode.NotFound },
        { "unknown version", StatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedRequestIsRefusedWithTheProtocolsStatusCodeAndWords(string what, StatusCode code)
    {
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "pixels", Datatype = "UINT8", Shape = { 1, 784 } };
        var request = new ModelInferRequest { ModelName = "mnist", Inputs = { input }, RawInputContents = { ByteString.CopyFrom(new byte[784]) } };
        switch (what)
        {
            case "truncated raw tensor": request.RawInputContents[0] = ByteString.CopyFrom(new byte[700]); break;
            case "raw BYTES element cut short":
                input.Name = "image_file"; input.Datatype = "BYTES"; input.Shape.Clear(); input.Shape.Add(1);
                request.RawInputContents[0] = ByteString.CopyFrom([100, 0, 0, 0, 1, 2, 3]);
                break;
            case "fewer typed contents than the shape":
                request.RawInputContents.Clear();
                input.Contents = new InferTensorContents { UintContents = { new uint[700] } };
                break;
            case "contents and raw both": input.Contents = new InferTensorContents { UintContents = { new uint[784] } }; break;
            case "no contents": request.RawInputContents.Clear(); break;
            case "unknown datatype": input.Datatype = "FP99"; break;
            case "unknown input name": input.Name = "image"; break;
            case "empty inputs": request.Inputs.Clear(); break;
            case "wrong shape": input.Shape.Clear(); input.Shape.Add([1, 27, 28]); break;
            case "a UINT8 pixel over 255":
                request.RawInputContents.Clear();
                input.Contents = new InferTensorContents { UintContents = { Enumerable.Repeat(300u, 784) } };
                break;
            case "an unknown output": request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "logits" }); break;
            case "huge N": input.Shape[0] = 100_000_000; break;
            case "unknown model": request.ModelName = "fashion"; break;
            case "unknown version": request.ModelVersion = "20990101-000000-deadbeef"; break;
        }

        var refusal = await Assert.ThrowsAsync<RpcException>(() => Client.ModelInferAsync(request).ResponseAsync);

        Assert.Equal(code, refusal.StatusCode);
        Assert.True(refusal.Status.Detail.Length > 10, $"{what}: '{refusal.Status.Detail}' says what was wrong");
    }

    [Fact]
    public async Task AClientPastItsPredictionRateIsRefusedResourceExhaustedWithWhenToRetry()
    {
        await using var limited = factory.WithWebHostBuilder(b => b.UseSetting("Gateway:PredictionRequestsPerSecondPerClient", "1")
            .UseSetting("Gateway:PredictionBurstPerClient", "2"));
        using var limitedChannel = GrpcChannel.ForAddress(limited.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = limited.Server.CreateHandler() });
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(limitedChannel);
        var request = new ModelInferRequest
        {
            ModelName = "mnist", RawInputContents = { ByteString.CopyFrom(TestData.Test.Image(0).ToArray()) },
            Inputs = { new ModelInferRequest.Types.InferInputTensor { Name = "pixels", Datatype = "UINT8", Shape = { 1, 784 } } },
        };

        var outcomes = new List<StatusCode>();
        for (var i = 0; i < 4; i++)
        {
            try
            {
                await client.ModelInferAsync(request);
                outcomes.Add(StatusCode.OK);
            }
            catch (RpcException e)
            {
                outcomes.Add(e.StatusCode);
                Assert.Contains("try again in", e.Status.Detail);
                Assert.NotNull(e.Trailers.GetValue("retry-after"));
            }
        }

        Assert.Equal(StatusCode.OK, outcomes[0]);
        Assert.Contains(StatusCode.ResourceExhausted, outcomes);
        // Metadata calls cost nothing and are not counted.
        Assert.True((await client.ServerLiveAsync(new ServerLiveRequest())).Live);
    }

    private static float[] Floats(ModelInferResponse response, string name, bool raw)
    {
        var index = response.Outputs.Select(o => o.Name).ToList().IndexOf(name);
        Assert.Equal("FP32", response.Outputs[index].Datatype);
        if (!raw) return [.. response.Outputs[index].Contents.Fp32Contents];
        var bytes = response.RawOutputContents[index].ToByteArray();
        return Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();
    }

    private static long[] Longs(ModelInferResponse response, string name, bool raw)
    {
        var index = response.Outputs.Select(o => o.Name).ToList().IndexOf(name);
        Assert.Equal("INT64", response.Outputs[index].Datatype);
        if (!raw) return [.. response.Outputs[index].Contents.Int64Contents];
        var bytes = response.RawOutputContents[index].ToByteArray();
        return Enumerable.Range(0, bytes.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 8))).ToArray();
    }
}
