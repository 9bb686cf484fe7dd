namespace MnistEvents.Contracts;

/// <summary>
/// Event: the controller took the live digits' drift score, as it does every few seconds over every replica's reports:
/// the score now and its history, oldest first (an hour by default), so every gateway shows the same whenever it started.
/// </summary>
public sealed record DriftScored(DriftNow Current, DriftPoint[] History);
