using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MnistEvents.Registry;

/// <summary>
/// Refuses to start with a setting that once let a service name its own file on the volume, and so split a file's
/// writer from its reader (the gateway's corrections somewhere the trainer never read): it would be ignored silently.
/// </summary>
public sealed class RetiredVolumeSettings(IConfiguration configuration) : IValidateOptions<ModelVolumeOptions>
{
    private static readonly string[] Keys =
    [
        "Predictor:ModelPath", "Gateway:ModelPath", "Trainer:ModelPath", "Gateway:FeedbackPath", "Gateway:AsyncResultsPath",
        "Trainer:JobsPath", "Gateway:MaxFeedbackRecords",
    ];

    public ValidateOptionsResult Validate(string? name, ModelVolumeOptions options)
    {
        var set = Keys.Where(key => configuration[key] is not null).ToArray();
        return set.Length == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{string.Join(", ", set)} is no longer read: every path on the model volume derives from " +
                $"{ModelVolumeOptions.Section}:{nameof(ModelVolumeOptions.ModelPath)} (corrections, async results, training jobs and the validation cache live beside the model)");
    }
}
