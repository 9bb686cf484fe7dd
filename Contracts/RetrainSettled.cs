namespace MnistEvents.Contracts;

/// <summary>
/// Event: the one that ends a training, published once by the controller. <paramref name="Outcome"/> is
/// <c>promoted</c> (<paramref name="Version"/> serves), <c>refused</c> (the request could not run, or the promotion gate
/// kept what serves), <c>failed</c> (the training stopped without a model), or <c>superseded</c> (its candidate waited on
/// shadowing and a newer decision, a person's or another promotion, served something else first);
/// <paramref name="Reason"/> says why in words.
/// </summary>
public sealed record RetrainSettled(Guid TrainingId, string Outcome, string? Version, string Reason, DateTimeOffset SettledAt)
{
    public const string Promoted = "promoted";
    public const string Refused = "refused";
    public const string Failed = "failed";
    public const string Superseded = "superseded";
}
