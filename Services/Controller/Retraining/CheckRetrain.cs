namespace MnistEvents.Controller.Retraining;

/// <summary>
/// The controller's note to itself (its own state machine's queue only): look at training <paramref name="TrainingId"/>
/// again. Sent when the training slot frees and by the <see cref="RetrainSweep"/>: the next in line starts, a silent one
/// fails, a waiting candidate is settled by what the model store says. Periodic, so no timeout needs the broker's
/// delayed-message plugin (Debian's RabbitMQ has none).
/// </summary>
public sealed record CheckRetrain(Guid TrainingId);
