using System.Net;
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
}
