namespace MnistEvents.Registry;

/// <summary>A kept correction that a training does not use, and why, in words an admin can act on.</summary>
public sealed record RefusedCorrection(CorrectionRecord Record, CorrectionRefusal Reason, string Detail);
