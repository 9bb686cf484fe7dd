namespace MnistEvents.ServiceTests.Support;

/// <summary>A clock that moves only when a test moves it.</summary>
public sealed class ManualTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}
