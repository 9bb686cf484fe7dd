using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Net.Client;
using Inference;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// The all-in-one as ./run.sh starts it, a real process: the Open Inference Protocol's gRPC service on a port of its
/// own (HTTP/2 cleartext, as a generated client dials it), while the HTTP API keeps the port its hosting settings name.
/// </summary>
public class OipPortsTests(ListeningAllInOne app) : IClassFixture<ListeningAllInOne>
{
    [Fact]
    public async Task GrpcAnswersOnItsOwnPortAndTheHttpApiStaysOnItsOwn()
    {
        using var channel = GrpcChannel.ForAddress(app.Process.GrpcUrl!);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        await Poll.Until(async () => (await client.ServerReadyAsync(new ServerReadyRequest())).Ready, "the server ready over gRPC");
        var pixels = TestData.Test.Images.AsSpan(0, 32 * 784).ToArray();

        var response = await client.ModelInferAsync(new ModelInferRequest
        {
            ModelName = "mnist", RawInputContents = { ByteString.CopyFrom(pixels) },
            Inputs = { new ModelInferRequest.Types.InferInputTensor { Name = "pixels", Datatype = "UINT8", Shape = { 32, 784 } } },
            Outputs = { new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "digit" } },
        });

        var digits = response.RawOutputContents[0].ToByteArray().Chunk(8).Select(b => BitConverter.ToInt64(b)).ToArray();
        Assert.True(digits.Where((d, i) => d == TestData.Test.Labels[i]).Count() >= 29);
        using var http = new HttpClient { BaseAddress = app.Url };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task PythonsGrpcClientWithStubsFromTheProtocolsProtoGetsEveryDigitRight()
    {
        // Debian's grpcio and grpcio-tools (python3 on PATH may be another Python, without them); examples/oip_grpc_client.py
        // compiles the protocol's .proto itself and imports nothing of the project.
        var pixels = Path.Combine(TestData.TempDirectory(), "digits.u8");
        await File.WriteAllBytesAsync(pixels, TestData.Test.Images.AsSpan(784 * 1000, 32 * 784).ToArray());
        var png = Path.Combine(TestData.TempDirectory(), "digit.png");
        await File.WriteAllBytesAsync(png, Uploads.DigitPng(1000));
        var address = $"127.0.0.1:{app.Process.GrpcUrl!.Port}";
        await Poll.Until(async () => (await PythonAsync("--address", address, png)).TryGetProperty("digits", out _), "the Python client's first answer");

        var tensor = await PythonAsync("--address", address, "--pixels", pixels, "--count", "32");
        var file = await PythonAsync("--address", address, png);

        Assert.Equal("mnistevents", tensor.GetProperty("server").GetProperty("name").GetString());
        Assert.Equal("python-client", tensor.GetProperty("id").GetString());
        var digits = tensor.GetProperty("digits").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        Assert.Equal(32, digits.Length);
        Assert.True(digits.Where((d, i) => d == TestData.Test.Labels[1000 + i]).Count() >= 29);
        Assert.Equal([TestData.Test.Labels[1000]], file.GetProperty("digits").EnumerateArray().Select(d => (byte)d.GetInt32()));
    }

    private static async Task<JsonElement> PythonAsync(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", [Path.Combine(Repository.Root, "examples", "oip_grpc_client.py"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = System.Diagnostics.Process.Start(start)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var error = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode is 0 or 1, $"the Python gRPC client failed: {await error}");
        return JsonDocument.Parse(await output).RootElement;
    }
}
