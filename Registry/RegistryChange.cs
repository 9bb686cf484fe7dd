namespace MnistEvents.Registry;

/// <summary>
/// What a change to the model store implies for everyone else: the events to publish (contracts, in the order the
/// changes were made) and, when the pointer moved, the activation written. Every registry call that changes the store
/// returns one, so no caller decides by hand which events follow; the bus gets them all in one place
/// (the gateway's <c>PublishAsync(RegistryChange)</c>, the trainer's runner).
/// </summary>
public sealed record RegistryChange(IReadOnlyList<object> Events, ModelActivation? Activation = null)
{
    public static RegistryChange None { get; } = new([]);

    public RegistryChange Then(RegistryChange next) => new([.. Events, .. next.Events], next.Activation ?? Activation);
}
