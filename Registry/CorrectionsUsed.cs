namespace MnistEvents.Registry;

/// <summary>
/// People's corrections as a training used them: how many it learnt from, held back to be judged on, and was not given
/// (<paramref name="Summary"/> says why), and the corrections file as it was read then (null when there was none).
/// </summary>
public sealed record CorrectionsUsed(int Trained, int HeldBack, int Refused, string Summary, FileDigest? File);
