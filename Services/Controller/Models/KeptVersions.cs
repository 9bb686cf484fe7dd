using MnistEvents.Contracts;
using MnistEvents.Registry;

namespace MnistEvents.Controller.Models;

public static class KeptVersions
{
    /// <summary>The refusal for a version that is not kept, listing (some of) those that are.</summary>
    public static LifecycleCommandRefused NotFound(ModelRegistry registry, string version)
    {
        var kept = string.Join(", ", registry.Versions().Select(v => v.Version).Take(12));
        return new LifecycleCommandRefused(LifecycleCommandRefused.NotFound,
            $"'{version}' is not a kept version; kept: {(kept.Length == 0 ? "none" : kept)} (GET /models lists them).");
    }
}
