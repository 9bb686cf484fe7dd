using System.Reflection;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Gateway.Predictions;
using MnistEvents.Gateway.Problems;
using MnistEvents.Gateway.Replicas;
using MnistEvents.Imaging;
using MnistEvents.Registry;

namespace MnistEvents.Gateway.OpenInference;

/// <summary>
/// The Open Inference Protocol's model and server, whatever the wire: which model and versions exist, whether they are
/// ready, and inference through the one prediction path (<see cref="DecodeSlots"/> for image files, then
/// <see cref="PredictionCoalescer"/>, <c>PredictDigitBatch</c> and the predictors' batch consumer).
/// </summary>
public sealed class OipInference(PredictionCoalescer predictors, DecodeSlots decoder, ModelRegistry registry, ReplicaRegistry replicas,
    IOptions<GatewayOptions> options)
{
    public const string ServerName = "mnistevents";

    public static readonly string ServerVersion =
        typeof(OipInference).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The most digits one request may hold: queued whole or not at all, one larger than the queue could never be, so it is a 413, not a 503 every time.</summary>
    public int MaxDigits => Math.Min(options.Value.MaxDigitsPerInference, options.Value.MaxQueuedPredictions);

    public OipServerMetadata ServerMetadata() => new(ServerName, ServerVersion, []);

    /// <summary>Ready when some live replica serves a model: an inference sent now would be answered.</summary>
    public bool ServerReady => replicas.View().Replicas.Any(r => r.ModelVersion is not null);

    /// <summary>Refuses (404) a model other than <see cref="OipModel.Name"/> or a version that is not kept.</summary>
    public void CheckModel(string model, string? version)
    {
        if (model != OipModel.Name) throw OipRules.NotFound($"unknown model '{model}': this server serves '{OipModel.Name}'");
        if (version is not null && (!ModelRegistry.IsValidVersion(version) || registry.Find(version) is null))
            throw OipRules.NotFound($"model '{OipModel.Name}' has no kept version '{version}'; GET /v2/models/{OipModel.Name} lists them");
    }

    public bool ModelReady(string model, string? version)
    {
        CheckModel(model, version);
        return ServerReady;
    }

    public OipModelMetadata Metadata(string model, string? version)
    {
        CheckModel(model, version);
        return new OipModelMetadata(OipModel.Name, [.. registry.Versions().Select(v => v.Version)], OipModel.Platform, OipModel.InputMetadata,
            OipModel.OutputMetadata, OipModel.Properties(MaxDigits));
    }

    /// <param name="client">Whose request it is (<see cref="Clients.ClientAddress"/>): image files are decoded in turn with other clients'.</param>
    public async Task<OipInferenceResponse> InferAsync(OipInferRequest request, string client, DateTimeOffset arrived, CancellationToken cancellationToken)
    {
        var pixels = await PixelsAsync(request.Digits, client, cancellationToken);
        var answers = await predictors.PredictAllAsync(pixels, request.Digits.Count, request.Version, arrived, cancellationToken);
        return Respond(request.Id, request.Outputs, answers);
    }

    /// <summary>The digits in MNIST's own form, 784 bytes each: as given, or image files preprocessed in turn with other clients' uploads.</summary>
    public async Task<byte[]> PixelsAsync(OipDigits digits, string client, CancellationToken cancellationToken) =>
        digits.Pixels ?? await PreprocessAsync(digits.Files!, client, cancellationToken);

    private async Task<byte[]> PreprocessAsync(IReadOnlyList<byte[]> files, string client, CancellationToken cancellationToken)
    {
        var pixels = new byte[files.Count * DigitImage.PixelCount];
        for (var i = 0; i < files.Count; i++)
        {
            try
            {
                (await decoder.PreprocessAsync(files[i], client, cancellationToken)).Pixels.CopyTo(pixels, i * DigitImage.PixelCount);
            }
            catch (ImageRejectedException e)
            {
                // The protocol's refusals are 400 and 413; the words say which file and why.
                throw new ProblemException(e.Reason == ImageRejection.TooManyBytes ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                    "Image refused", $"input '{OipModel.FilesInput}' element {i}: {e.Message}");
            }
        }
        return pixels;
    }

    /// <summary>The protocol's response to request <paramref name="id"/>: <paramref name="outputs"/> of the answers, in the request's order.</summary>
    public static OipInferenceResponse Respond(string? id, IReadOnlyList<string> outputs, IReadOnlyList<DigitPredicted> answers)
    {
        var n = answers.Count;
        var tensors = outputs.Select(name => name == OipModel.ProbabilitiesOutput
            ? new OipResponseOutput(name, [n, 10], OipDatatype.Fp32, answers.SelectMany(a => a.Probabilities).ToArray())
            : new OipResponseOutput(name, [n], OipDatatype.Int64, answers.Select(a => (long)a.Digit).ToArray())).ToArray();
        // A request split over several batches may meet a swap between them: then every version that answered is named.
        var versions = answers.Select(a => a.ModelVersion).Distinct().ToArray();
        var parameters = new Dictionary<string, string> { ["replica"] = string.Join(",", answers.Select(a => a.Replica).Distinct()) };
        if (versions.Length == 1) parameters["lineage"] = $"/models/{versions[0]}/lineage";
        return new OipInferenceResponse(OipModel.Name, string.Join(",", versions), id, parameters, tensors);
    }
}
