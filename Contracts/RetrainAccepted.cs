namespace MnistEvents.Contracts;

/// <summary>
/// The controller's answer to a <see cref="RequestRetrain"/> it took on: <paramref name="Status"/> is <c>queued</c> (it
/// starts once the <paramref name="Ahead"/> trainings before it have ended) or <c>starting</c>. It ends with a
/// <see cref="RetrainSettled"/> naming <paramref name="TrainingId"/>.
/// </summary>
public sealed record RetrainAccepted(Guid TrainingId, string Status, int Ahead);
