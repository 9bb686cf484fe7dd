using System.Text.Json.Serialization;
using MassTransit;
using MnistEvents.Contracts;

namespace MnistEvents.Controller.Retraining;

/// <summary>
/// One training's state as the <see cref="RetrainStateMachine"/> keeps it (a file on the model volume, by training id):
/// where it stands, what it was asked to do, the candidate it made, and how it ended.
/// </summary>
public sealed class RetrainState : SagaStateMachineInstance
{
    /// <summary>The training id.</summary>
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    /// <summary>The training as the controller starts it, defaults filled in; null for one it only heard of (a trainer's command line on the broker).</summary>
    public StartTraining? Training { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>The retrain policy's rule and cause when it asked for this training (a cause fires once: this is its record).</summary>
    public string? Rule { get; set; }

    public string? Cause { get; set; }

    /// <summary>When <see cref="StartTraining"/> was sent: from then on it holds the one training slot.</summary>
    public DateTimeOffset? DispatchedAt { get; set; }

    /// <summary>When its trainer was last heard from (started, progress).</summary>
    public DateTimeOffset? HeardAt { get; set; }

    /// <summary>The candidate version it saved.</summary>
    public string? Version { get; set; }

    /// <summary>Live digits its candidate waits to be shadowed on before it serves.</summary>
    public long? ShadowPredictions { get; set; }

    /// <summary>How it ended (<see cref="RetrainSettled"/>'s outcomes), and why in words.</summary>
    public string? Outcome { get; set; }

    public string? Reason { get; set; }

    public DateTimeOffset? SettledAt { get; set; }

    /// <summary>It holds the training slot: started and not yet judged or failed.</summary>
    [JsonIgnore]
    public bool Running => CurrentState == nameof(RetrainStateMachine.Training) || (CurrentState == nameof(RetrainStateMachine.Queued) && DispatchedAt is not null);

    /// <summary>Waiting its turn: not yet started.</summary>
    [JsonIgnore]
    public bool Waiting => CurrentState == nameof(RetrainStateMachine.Queued) && DispatchedAt is null;

    [JsonIgnore]
    public bool Ended => Outcome is not null;
}
