using System.ComponentModel.DataAnnotations;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Controller;

/// <summary>The <c>Controller</c> configuration section: how the lifecycle's owner runs trainings and settles candidates, checked at start.</summary>
public sealed class ControllerOptions
{
    public const string Section = "Controller";

    /// <summary>Live digits a candidate the gate lets through is shadowed on before it serves, when its request names none (0: at once).</summary>
    [Range(0, RetrainRules.MaximumShadowPredictions)]
    public long ShadowPredictions { get; set; }

    /// <summary>The share of live batches such a candidate is shadowed on, when its training named none.</summary>
    [Range(0.001, 1)]
    public double ShadowSampleRate { get; set; } = 0.25;

    /// <summary>Trainings waiting their turn behind the one running; a request beyond them is refused, in words.</summary>
    [Range(0, 1000)]
    public int MaxQueued { get; set; } = 10;

    /// <summary>A training started but not heard from (started, progress) for this long has failed: its trainer is gone.</summary>
    [Range(0.05, 24 * 60)]
    public double TrainingSilenceMinutes { get; set; } = 15;

    /// <summary>
    /// How often the trainings are looked over: the next in line started if none runs, a silent one failed, a waiting
    /// candidate settled by what the model store says (after an event a crash lost).
    /// </summary>
    [Range(0.05, 3600)]
    public double SweepSeconds { get; set; } = 15;

    /// <summary>Ended trainings kept (their state files on the volume); the oldest beyond go.</summary>
    [Range(1, 100_000)]
    public int KeptTrainings { get; set; } = 200;

    /// <summary>A replica not heard from within this long no longer counts towards a candidate's shadowed digits.</summary>
    [Range(0.1, 3600)]
    public double ReplicaExpirySeconds { get; set; } = 15;

    /// <summary>Asks for a first training (the seed's one epoch) at start when the volume holds no model and none is under way.</summary>
    public bool TrainFirstModel { get; set; }
}
