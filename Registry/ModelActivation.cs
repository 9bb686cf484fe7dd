namespace MnistEvents.Registry;

/// <summary>One line of the volume's activation history: which version became active, which it replaced, who asked, when.</summary>
public sealed record ModelActivation(string Version, string? Previous, string By, DateTimeOffset At);
