using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Grpc.Core;
using Inference;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MnistEvents.Gateway.Clients;
using MnistEvents.Gateway.Problems;
using MnistEvents.Gateway.RateLimiting;
using MnistEvents.Imaging;

namespace MnistEvents.Gateway.OpenInference;

/// <summary>
/// The Open Inference Protocol's <c>inference.GRPCInferenceService</c>, compiled from the protocol's own .proto, over
/// <see cref="OipInference"/> as the REST routes are. Tensors come as typed <c>contents</c> or as
/// <c>raw_input_contents</c> (little-endian; BYTES elements each a 4-byte little-endian length and its bytes, as Triton
/// sends them), and the outputs go back in the same form the input came in. Refusals are status codes with words:
/// INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED (too large, or this client's share used up), UNAVAILABLE (overload).
/// An inference counts against its client's prediction rate as a REST one does (<see cref="ClientRateLimits"/>).
/// </summary>
internal sealed class OipGrpcService(OipInference oip, IOptions<GatewayOptions> options, TimeProvider time) : GRPCInferenceService.GRPCInferenceServiceBase
{
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = oip.ServerReady });

    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context) =>
        Task.FromResult(Refusals(() => new ModelReadyResponse { Ready = oip.ModelReady(request.Name, Version(request.Version)) }));

    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context)
    {
        var metadata = oip.ServerMetadata();
        return Task.FromResult(new ServerMetadataResponse { Name = metadata.Name, Version = metadata.Version, Extensions = { metadata.Extensions } });
    }

    public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context) => Task.FromResult(Refusals(() =>
    {
        var metadata = oip.Metadata(request.Name, Version(request.Version));
        return new ModelMetadataResponse
        {
            Name = metadata.Name, Versions = { metadata.Versions }, Platform = metadata.Platform,
            Inputs = { metadata.Inputs.Select(Tensor) }, Outputs = { metadata.Outputs.Select(Tensor) }, Properties = { metadata.Properties.ToDictionary() },
        };
    }));

    [EnableRateLimiting(ClientRateLimits.Predictions)]
    public override async Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
    {
        var arrived = time.GetUtcNow();
        try
        {
            var version = Version(request.ModelVersion);
            oip.CheckModel(request.ModelName, version);
            var raw = request.RawInputContents.Count > 0;
            var inference = new OipInferRequest(string.IsNullOrEmpty(request.Id) ? null : request.Id, version, Digits(request, oip.MaxDigits),
                OipRules.Outputs([.. request.Outputs.Select(o => o.Name)]));
            var answer = await oip.InferAsync(inference, ClientAddress.Of(context.GetHttpContext()), arrived, context.CancellationToken);
            return Response(answer, raw);
        }
        catch (Exception e) when (GatewayExceptionHandler.Describe(e, options.Value.MaxUploadBytes) is { } refusal)
        {
            throw Status(refusal.Status, refusal.Detail, (e as ProblemException)?.RetryAfterSeconds);
        }
    }

    private static OipDigits Digits(ModelInferRequest request, int maxDigits)
    {
        if (request.Inputs.Count != 1)
            throw OipRules.BadRequest($"the request has {request.Inputs.Count} inputs; this model takes one, '{OipModel.PixelsInput}' or '{OipModel.FilesInput}'");
        var input = request.Inputs[0];
        var count = OipRules.Digits(input.Name, input.Datatype, input.Shape, maxDigits);
        var contents = input.Contents;
        if (request.RawInputContents.Count > 0)
        {
            if (contents is not null && contents.CalculateSize() > 0)
                throw OipRules.BadRequest($"input '{input.Name}' has both contents and raw_input_contents; send one");
            if (request.RawInputContents.Count != 1)
                throw OipRules.BadRequest($"the request has {request.RawInputContents.Count} raw_input_contents for its one input");
            return Raw(input, count, request.RawInputContents[0].Span);
        }
        if (contents is null) throw OipRules.BadRequest($"input '{input.Name}' has no contents and the request no raw_input_contents");
        return input.Datatype switch
        {
            OipDatatype.Bytes => new OipDigits(count, null, Elements(input, count, contents.BytesContents).Select(b => b.ToByteArray()).ToArray()),
            OipDatatype.Uint8 => new OipDigits(count, Elements(input, count * DigitImage.PixelCount, contents.UintContents).Select((v, i) => OipRules.Pixel(v, i)).ToArray(), null),
            _ => new OipDigits(count, Elements(input, count * DigitImage.PixelCount, contents.Fp32Contents).Select((v, i) => OipRules.Pixel(v, i)).ToArray(), null),
        };
    }

    private static IReadOnlyList<T> Elements<T>(ModelInferRequest.Types.InferInputTensor input, int expected, IReadOnlyList<T> values) =>
        values.Count == expected ? values
            : throw OipRules.BadRequest($"input '{input.Name}' has {values.Count:N0} {input.Datatype} contents; its shape {OipRules.Show(input.Shape)} needs {expected:N0}");

    private static OipDigits Raw(ModelInferRequest.Types.InferInputTensor input, int count, ReadOnlySpan<byte> raw)
    {
        if (input.Datatype == OipDatatype.Bytes) return new OipDigits(count, null, RawBytes(input, count, raw));
        var size = input.Datatype == OipDatatype.Uint8 ? 1 : sizeof(float);
        var expected = (long)count * DigitImage.PixelCount * size;
        if (raw.Length != expected)
            throw OipRules.BadRequest($"input '{input.Name}' has {raw.Length:N0} raw bytes; its shape {OipRules.Show(input.Shape)} of {input.Datatype} needs {expected:N0}");
        if (size == 1) return new OipDigits(count, raw.ToArray(), null);
        var pixels = new byte[count * DigitImage.PixelCount];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = OipRules.Pixel(BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]), i);
        return new OipDigits(count, pixels, null);
    }

    // Triton's raw BYTES tensor: each element a 4-byte little-endian length, then that many bytes.
    private static byte[][] RawBytes(ModelInferRequest.Types.InferInputTensor input, int count, ReadOnlySpan<byte> raw)
    {
        var files = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            if (raw.Length < 4 || BinaryPrimitives.ReadUInt32LittleEndian(raw) is var length && length > raw.Length - 4)
                throw OipRules.BadRequest($"input '{input.Name}' raw contents end inside element {i} of {count}: each is a 4-byte little-endian length and that many bytes");
            files[i] = raw.Slice(4, (int)length).ToArray();
            raw = raw[(4 + (int)length)..];
        }
        if (raw.Length > 0) throw OipRules.BadRequest($"input '{input.Name}' raw contents run {raw.Length:N0} bytes past its {count} elements");
        return files;
    }

    private static ModelInferResponse Response(OipInferenceResponse answer, bool raw)
    {
        var response = new ModelInferResponse { ModelName = answer.ModelName, ModelVersion = answer.ModelVersion, Id = answer.Id ?? "" };
        foreach (var (key, value) in answer.Parameters) response.Parameters[key] = new InferParameter { StringParam = value };
        foreach (var output in answer.Outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = output.Datatype, Shape = { output.Shape } };
            response.Outputs.Add(tensor);
            switch (output.Data)
            {
                case float[] floats when raw:
                    response.RawOutputContents.Add(ByteString.CopyFrom(LittleEndian(floats)));
                    break;
                case long[] longs when raw:
                    response.RawOutputContents.Add(ByteString.CopyFrom(LittleEndian(longs)));
                    break;
                case float[] floats:
                    tensor.Contents = new InferTensorContents { Fp32Contents = { floats } };
                    break;
                case long[] longs:
                    tensor.Contents = new InferTensorContents { Int64Contents = { longs } };
                    break;
            }
        }
        return response;
    }

    private static byte[] LittleEndian<T>(T[] values) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("raw tensor contents are written on little-endian machines only");
        return bytes;
    }

    private static ModelMetadataResponse.Types.TensorMetadata Tensor(OipTensorMetadata t) => new() { Name = t.Name, Datatype = t.Datatype, Shape = { t.Shape } };

    private static string? Version(string version) => string.IsNullOrEmpty(version) ? null : version;

    private static T Refusals<T>(Func<T> answer)
    {
        try
        {
            return answer();
        }
        catch (ProblemException e)
        {
            throw Status(e.Status, e.Message, e.RetryAfterSeconds);
        }
    }

    private static RpcException Status(int status, string words, int? retryAfterSeconds)
    {
        var code = status switch
        {
            StatusCodes.Status404NotFound => StatusCode.NotFound,
            StatusCodes.Status413PayloadTooLarge or StatusCodes.Status429TooManyRequests => StatusCode.ResourceExhausted,
            StatusCodes.Status503ServiceUnavailable => StatusCode.Unavailable,
            _ => StatusCode.InvalidArgument,
        };
        var trailers = new Metadata();
        if (code == StatusCode.Unavailable || status == StatusCodes.Status429TooManyRequests)
            trailers.Add("retry-after", (retryAfterSeconds ?? 5).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new RpcException(new Status(code, words), trailers);
    }
}
