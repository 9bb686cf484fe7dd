using System.ComponentModel.DataAnnotations;

namespace MnistEvents.Registry;

/// <summary>
/// The <c>ModelVolume</c> configuration section, the same for every service that shares the volume (gateway, predictor,
/// trainer worker): the served model's path, from which every other path is derived (<see cref="ModelVolume"/>), and the
/// limits of what clients can make the volume hold.
/// </summary>
public sealed class ModelVolumeOptions
{
    public const string Section = "ModelVolume";

    /// <summary>The served model file; the volume is its directory.</summary>
    [Required]
    public string ModelPath { get; set; } = ModelVolume.DefaultModelPath;

    /// <summary>Most corrections kept; beyond it <c>POST /feedback</c> refuses, so the volume cannot be filled from outside, and a training reads no more.</summary>
    [Range(1, 10_000_000)]
    public int MaxCorrections { get; set; } = 100_000;

    public static readonly TimeSpan DefaultLockPatience = TimeSpan.FromSeconds(10);

    /// <summary>How long a writer (an activation, a promotion, a shadow plan) waits for another to finish before refusing: a 409 at the gateway.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan LockPatience { get; set; } = DefaultLockPatience;
}
