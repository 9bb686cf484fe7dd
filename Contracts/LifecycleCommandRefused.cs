namespace MnistEvents.Contracts;

/// <summary>
/// The controller's answer to a lifecycle command it will not carry out: <paramref name="Kind"/> is <c>not-found</c> (no
/// such kept version), <c>invalid</c> (the command's values cannot be), or <c>conflict</c> (the model store cannot change
/// that way now); <paramref name="Reason"/> says what was wrong in words.
/// </summary>
public sealed record LifecycleCommandRefused(string Kind, string Reason)
{
    public const string NotFound = "not-found";
    public const string Invalid = "invalid";
    public const string Conflict = "conflict";
}
