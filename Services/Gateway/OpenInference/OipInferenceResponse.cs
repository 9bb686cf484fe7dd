using System.Text.Json.Serialization;

namespace MnistEvents.Gateway.OpenInference;

/// <summary>
/// The answer of <c>POST /v2/models/mnist[/versions/{v}]/infer</c>: the request's id echoed, the version that answered,
/// and parameters naming the replicas and where the version's lineage is.
/// </summary>
public sealed record OipInferenceResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<OipResponseOutput> Outputs);
