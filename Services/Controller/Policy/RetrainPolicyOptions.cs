using System.ComponentModel.DataAnnotations;
using MnistEvents.Imaging.Profiles;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Controller.Policy;

/// <summary>
/// The <c>RetrainPolicy</c> configuration section: when the system asks for its own retrain, checked at start. Off by
/// default. Each rule is on when its threshold is above 0; the retrain it asks for takes <see cref="Epochs"/>,
/// <see cref="Limit"/> and <see cref="ShadowPredictions"/>, and is judged by the promotion gate like any other.
/// </summary>
public sealed class RetrainPolicyOptions : IValidatableObject
{
    public const string Section = "RetrainPolicy";

    public bool Enabled { get; set; }

    /// <summary>How often the rules are checked.</summary>
    [Range(0.1, 3600)]
    public double CheckSeconds { get; set; } = 30;

    /// <summary>Rule 1: at least this many trusted corrections since the last training (0 turns it off).</summary>
    [Range(0, 1_000_000)]
    public int TrustedCorrections { get; set; } = 250;

    /// <summary>
    /// How many of one client's trusted corrections count towards <see cref="TrustedCorrections"/>, and are scored by rule
    /// 2: each needs several clients, so no one client fires it.
    /// </summary>
    [Range(1, 1_000_000)]
    public int CountedPerClient { get; set; } = 25;

    /// <summary>Rule 2: the served model labels fewer than this share of the latest <see cref="ScoredCorrections"/> trusted corrections as people did (0 turns it off).</summary>
    [Range(0, 1)]
    public double AccuracyBelow { get; set; }

    /// <summary>How many of the latest trusted corrections rule 2 scores the served model on (at most <see cref="CountedPerClient"/> from one client); it waits until there are that many.</summary>
    [Range(1, 10_000)]
    public int ScoredCorrections { get; set; } = 100;

    /// <summary>Rule 3: the live traffic's drift score above this (a population stability index; 0 turns it off)...</summary>
    [Range(0, 100)]
    public double DriftAbove { get; set; } = InputProfiles.Shifted;

    /// <summary>... for at least this long without a break.</summary>
    [Range(0, 10_080)]
    public double DriftMinutes { get; set; } = 10;

    /// <summary>At most one retrain asked for in this long, by any rule, across restarts.</summary>
    [Range(0, 525_600)]
    public double IntervalMinutes { get; set; } = 360;

    /// <summary>The retrain asked for: its epochs (null: the trainer's default)...</summary>
    public int? Epochs { get; set; } = 3;

    /// <summary>... its training-set limit (null: all of MNIST)...</summary>
    public int? Limit { get; set; }

    /// <summary>... and how many live digits to shadow it on before it serves (0: serve at once if the gate passes it).</summary>
    public long ShadowPredictions { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetrainRules.Refusal(Epochs, null, null, Limit, ShadowPredictions) is { } refusal)
            yield return new ValidationResult($"The retrain the policy asks for cannot run: {refusal}.", [nameof(Epochs), nameof(Limit), nameof(ShadowPredictions)]);
        if (Enabled && TrustedCorrections == 0 && AccuracyBelow == 0 && DriftAbove == 0)
            yield return new ValidationResult("The retrain policy is enabled with every rule off (TrustedCorrections, AccuracyBelow and DriftAbove all 0).",
                [nameof(Enabled)]);
    }
}
