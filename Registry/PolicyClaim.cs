namespace MnistEvents.Registry;

/// <summary>
/// What <see cref="PolicyFirings.TryClaim"/> made of a firing: claimed (the caller asks for the training), or not, because
/// its cause already fired (<paramref name="Earlier"/> is that firing) or another firing came too recently (<paramref name="Earlier"/> is it).
/// </summary>
public sealed record PolicyClaim(bool Claimed, PolicyFiring? Earlier, bool TooSoon);
