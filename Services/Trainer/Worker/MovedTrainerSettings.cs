using Microsoft.Extensions.Options;

namespace MnistEvents.Trainer.Worker;

/// <summary>
/// Refuses to start with a trainer setting that moved to the controller, which would otherwise be ignored: shadowing a
/// candidate first is a lifecycle decision, and the controller owns those.
/// </summary>
public sealed class MovedTrainerSettings(IConfiguration configuration) : IValidateOptions<TrainerOptions>
{
    private static readonly Dictionary<string, string> Moved = new()
    {
        ["Trainer:ShadowPredictions"] = "Controller:ShadowPredictions",
        ["Trainer:ShadowSampleRate"] = "Controller:ShadowSampleRate",
    };

    public ValidateOptionsResult Validate(string? name, TrainerOptions options)
    {
        var set = Moved.Where(m => configuration[m.Key] is not null).Select(m => $"{m.Key} is now {m.Value} (the controller decides whether a candidate is shadowed first)").ToArray();
        return set.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(set);
    }
}
