namespace MnistEvents.Gateway.Retraining;

/// <summary>
/// One rule of the retrain policy as <c>GET /models</c> shows it: its <paramref name="Condition"/> in words and the
/// number it compares with (<paramref name="Threshold"/>: corrections, a share, or a drift score), whether it is
/// configured on, what it measures now (<paramref name="Now"/>, null until checked), whether it holds, and the cause it
/// would fire for.
/// </summary>
public sealed record PolicyRuleView(string Rule, string Condition, double Threshold, bool On, string? Now, bool Holds, string? Cause);
