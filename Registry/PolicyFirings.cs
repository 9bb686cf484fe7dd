using System.Text.Json;
using System.Text.RegularExpressions;

namespace MnistEvents.Registry;

/// <summary>
/// The retrain policy's firings on the model volume (<see cref="ModelVolume.PolicyFiringsDirectory"/>), one file per
/// cause: the one owner of those files. A cause is claimed once, under the store's lock together with the check of the
/// interval since the last firing, so a restarted gateway, or a second one on the same volume, never asks twice for the
/// same cause nor more often than the interval allows.
/// </summary>
public sealed partial class PolicyFirings(ModelVolume volume)
{
    /// <summary>Firings kept on the volume: the oldest beyond this are deleted (their causes are long past: each names a version).</summary>
    public const int Kept = 200;

    public static bool IsValidCause(string? cause) => cause is not null && CausePattern().IsMatch(cause);

    /// <summary>The firing for <paramref name="cause"/>, or null if it never fired.</summary>
    public PolicyFiring? Find(string cause) => IsValidCause(cause) ? Read(PathOf(cause)) : null;

    /// <summary>Every firing kept, newest first.</summary>
    public IReadOnlyList<PolicyFiring> All()
    {
        if (!Directory.Exists(volume.PolicyFiringsDirectory)) return [];
        return Directory.EnumerateFiles(volume.PolicyFiringsDirectory, "*.json").Select(Read).OfType<PolicyFiring>()
            .OrderByDescending(f => f.FiredAt).ToArray();
    }

    /// <summary>Records <paramref name="firing"/> unless its cause fired already or the last firing is less than <paramref name="interval"/> before it.</summary>
    public PolicyClaim TryClaim(PolicyFiring firing, TimeSpan interval)
    {
        if (!IsValidCause(firing.Cause)) throw new ArgumentException($"'{firing.Cause}' is not a cause name", nameof(firing));
        using var _ = VolumeLock.Take(volume);
        if (Find(firing.Cause) is { } earlier) return new PolicyClaim(false, earlier, TooSoon: false);
        var all = All();
        if (all.FirstOrDefault() is { } last && firing.FiredAt - last.FiredAt < interval) return new PolicyClaim(false, last, TooSoon: true);
        Directory.CreateDirectory(volume.PolicyFiringsDirectory);
        RegistryFiles.WriteJson(PathOf(firing.Cause), firing);
        foreach (var old in all.Skip(Kept - 1)) File.Delete(PathOf(old.Cause));
        return new PolicyClaim(true, null, TooSoon: false);
    }

    /// <summary>Gives a cause back when the training it claimed could not be asked for (the broker refused it), so a later check fires it.</summary>
    public void Release(PolicyFiring firing)
    {
        using var _ = VolumeLock.Take(volume);
        if (Find(firing.Cause) is { } kept && kept.TrainingId == firing.TrainingId) File.Delete(PathOf(firing.Cause));
    }

    private string PathOf(string cause) => Path.Combine(volume.PolicyFiringsDirectory, cause + ".json");

    // Damaged or half-written: read as absent, as the rest of the store's small files are.
    private static PolicyFiring? Read(string path)
    {
        try
        {
            return RegistryFiles.Read<PolicyFiring>(path);
        }
        catch (Exception e) when (e is RegistryException or IOException or JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[a-z][a-z-]{0,40}-[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex CausePattern();
}
