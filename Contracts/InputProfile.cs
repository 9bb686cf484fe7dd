namespace MnistEvents.Contracts;

/// <summary>
/// What a model saw and answered, summed over <paramref name="Digits"/> digits: a histogram per feature (ink mass,
/// extent, centre of mass, stroke width, the predicted digit, the confidence), each feature's bins fixed once for
/// everyone who counts them. A replica reports one for the live traffic it answered; a version's manifest keeps one of
/// its training and validation data, which the live one is compared with.
/// </summary>
public sealed record InputProfile(long Digits, FeatureCounts[] Features);
