namespace MnistEvents.Registry;

/// <summary>
/// One line of the volume's activation history: which version became active, which it replaced, who asked, when, and
/// the training whose promotion it was (<paramref name="TrainingId"/>, null for a person's activation or an adoption).
/// </summary>
public sealed record ModelActivation(string Version, string? Previous, string By, DateTimeOffset At, Guid? TrainingId = null);
