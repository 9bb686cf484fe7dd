using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MnistEvents.Registry;

/// <summary>
/// The versioned model store on the shared volume, beside the served model path (say <c>/models/mnist.pt</c>):
/// <code>
/// versions/&lt;version&gt;/mnist.pt(.json)   every kept version: the state_dict, its manifest, the gate's promotion.json
/// active -> versions/&lt;version&gt;        the pointer: one symbolic link, replaced in one rename
/// mnist.pt -> active/mnist.pt          the seed's path, so torch.load and a predictor given only it see the active version
/// activations.jsonl                    append-only history (which version, replacing which, who, when)
/// shadow.json                          what the replicas shadow, and whether a candidate's promotion waits on it
/// </code>
/// A volume that holds only a plain <c>mnist.pt</c> (the seed's layout) is served as it is; the first version saved
/// beside it adopts it as a version (see <see cref="Adopt"/>), so it can be rolled back to.
/// </summary>
public sealed partial class ModelRegistry
{
    private const string VersionsName = "versions";
    private const string ActiveName = "active";
    private const string DecisionName = "promotion.json";
    private const string ShadowedName = "shadowed.json";

    public ModelRegistry(string modelPath)
    {
        ModelPath = Path.GetFullPath(modelPath);
        Root = Path.GetDirectoryName(ModelPath)!;
        FileName = Path.GetFileName(ModelPath);
    }

    /// <summary>The served path: a link into the active version, or the seed's plain file.</summary>
    public string ModelPath { get; }

    public string Root { get; }

    public string FileName { get; }

    public string VersionsDirectory => Path.Combine(Root, VersionsName);

    private string ActiveLink => Path.Combine(Root, ActiveName);

    private string HistoryPath => Path.Combine(Root, "activations.jsonl");

    private string ShadowPath => Path.Combine(Root, "shadow.json");

    /// <summary>Where the gateway keeps people's corrections (<c>POST /feedback</c>) and the trainer reads them: beside the versions.</summary>
    public string CorrectionsPath => Path.Combine(Root, "feedback", "corrections.jsonl");

    public static string ManifestPath(string modelPath) => modelPath + ".json";

    /// <summary>Versions are names the trainer made (<c>yyyyMMdd-HHmmss-sha8</c>, or <c>unversioned-sha8</c>); nothing else is a path here.</summary>
    public static bool IsValidVersion(string? version) => version is not null && VersionPattern().IsMatch(version);

    public string VersionDirectory(string version)
    {
        if (!IsValidVersion(version)) throw new RegistryException($"'{version}' is not a model version name");
        return Path.Combine(VersionsDirectory, version);
    }

    public string VersionModelPath(string version) => Path.Combine(VersionDirectory(version), FileName);

    /// <summary>True when <see cref="ModelPath"/> is the seed's plain file rather than a link into the versions.</summary>
    public bool HoldsUnversionedModel => File.Exists(ModelPath) && new FileInfo(ModelPath).LinkTarget is null;

    /// <summary>Every kept version's manifest, newest first; a version whose manifest cannot be read is left out.</summary>
    public IReadOnlyList<ModelManifest> Versions()
    {
        if (!Directory.Exists(VersionsDirectory)) return [];
        var manifests = new List<ModelManifest>();
        foreach (var directory in Directory.EnumerateDirectories(VersionsDirectory))
            if (Find(Path.GetFileName(directory)) is { } manifest) manifests.Add(manifest);
        return manifests.OrderByDescending(m => m.TrainedAt).ThenByDescending(m => m.Version, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The kept version's manifest, or null when there is no such version or its manifest cannot be read.</summary>
    public ModelManifest? Find(string version) =>
        IsValidVersion(version) && ReadSound<ModelManifest>(ManifestPath(VersionModelPath(version))) is { } manifest && manifest.Version == version
            ? manifest
            : null;

    /// <summary>The version the pointer names, or null when there is no pointer (nothing saved yet, or only the seed's plain file).</summary>
    public string? ActiveVersion =>
        new FileInfo(ActiveLink).LinkTarget is { } target && Path.GetFileName(target.TrimEnd('/')) is var name && IsValidVersion(name) ? name : null;

    /// <summary>The manifest of what <see cref="ModelPath"/> serves: the active version's, or the seed's plain file's if it has one.</summary>
    public ModelManifest? ActiveManifest => ActiveVersion is { } version ? Find(version) : ReadSound<ModelManifest>(ManifestPath(ModelPath));

    /// <summary>The version that was active before the current one, which pruning keeps for a rollback.</summary>
    public string? PreviousVersion => History().LastOrDefault()?.Previous;

    public IReadOnlyList<ModelActivation> History()
    {
        if (!File.Exists(HistoryPath)) return [];
        var activations = new List<ModelActivation>();
        foreach (var line in File.ReadLines(HistoryPath))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonSerializer.Deserialize<ModelActivation>(line, RegistryFiles.Json) is { } activation) activations.Add(activation);
            }
            catch (JsonException)
            {
                // A line torn by a crash mid-append: the pointer, not the history, says what is active.
            }
        }
        return activations;
    }

    public PromotionDecision? Decision(string version) =>
        IsValidVersion(version) ? ReadSound<PromotionDecision>(Path.Combine(VersionDirectory(version), DecisionName)) : null;

    public void RecordDecision(PromotionDecision decision) =>
        RegistryFiles.WriteJson(Path.Combine(VersionDirectory(decision.Candidate), DecisionName), decision);

    /// <summary>Fills in the scores of a version saved without them (the seed's adopted file) once they are known.</summary>
    public void RecordScores(string version, double mnist, double uploads)
    {
        using var _ = Lock();
        if (Find(version) is not { } manifest || manifest is { TestAccuracy: not null, UploadsAccuracy: not null }) return;
        RegistryFiles.WriteJson(ManifestPath(VersionModelPath(version)),
            manifest with { TestAccuracy = manifest.TestAccuracy ?? mnist, UploadsAccuracy = manifest.UploadsAccuracy ?? uploads });
    }

    /// <summary>What the replicas shadow now, or null when nothing is.</summary>
    public ShadowPlan? Shadow => ReadSound<ShadowPlan>(ShadowPath) is { } plan && IsValidVersion(plan.Version) ? plan : null;

    /// <summary>What shadowing <paramref name="version"/> last showed, kept when its shadowing ended; null if it never was.</summary>
    public ShadowComparison? Shadowed(string version) =>
        IsValidVersion(version) ? ReadSound<ShadowComparison>(Path.Combine(VersionDirectory(version), ShadowedName)) : null;

    /// <summary>
    /// Shadows <paramref name="next"/> from now on (null stops shadowing); what the plan replaced showed
    /// (<paramref name="soFar"/>, if known) is kept with its version. Only the candidate shadowed can wait on its
    /// shadowing: any other candidate still waiting (the one whose plan this replaces, or one whose plan a crash never
    /// wrote) is refused, <paramref name="why"/> saying what replaced it; those verdicts are returned to be announced.
    /// A new plan for the same candidate keeps its wait.
    /// </summary>
    public IReadOnlyList<PromotionDecision> ReplaceShadow(ShadowPlan? next, string why, ShadowComparison? soFar = null)
    {
        using var _ = Lock();
        var current = Shadow;
        if (current is not null && next is not null && next.Version == current.Version)
            next = next with { PromoteAfter = next.PromoteAfter ?? current.PromoteAfter };
        else if (current is not null && soFar is not null && Find(current.Version) is not null)
            RecordShadowed(current.Version, soFar);

        var refused = new List<PromotionDecision>();
        foreach (var version in Versions().Select(v => v.Version).Where(v => v != next?.Version))
        {
            if (Decision(version) is not { Pending: true } waiting) continue;
            var shown = version == current?.Version ? soFar : null;
            var verdict = waiting with { Pending = false, Promoted = false, DecidedAt = DateTimeOffset.UtcNow, Shadow = shown,
                Reason = $"{waiting.Reason}; but not promoted: {why} before it was shadowed on {waiting.ShadowPredictions:N0} live digits" };
            RecordDecision(verdict);
            refused.Add(verdict);
        }
        if (next is null) File.Delete(ShadowPath);
        else RegistryFiles.WriteJson(ShadowPath, next);
        return refused;
    }

    /// <summary>
    /// Ends <paramref name="plan"/>, if it is still the one followed, with its candidate's final <paramref name="verdict"/>,
    /// activating the candidate if promoted and not already active. False when it was already settled or replaced
    /// (another gateway instance, a person): then nothing changed.
    /// </summary>
    public bool SettleShadow(ShadowPlan plan, PromotionDecision verdict, string by, out ModelActivation? activation)
    {
        activation = null;
        using var _ = Lock();
        if (Shadow != plan || verdict.Candidate != plan.Version) return false;
        RecordDecision(verdict);
        if (verdict.Shadow is { } shown) RecordShadowed(plan.Version, shown);
        File.Delete(ShadowPath);
        if (verdict.Promoted && ActiveVersion != plan.Version) activation = ActivateLocked(plan.Version, by);
        return true;
    }

    private void RecordShadowed(string version, ShadowComparison comparison) =>
        RegistryFiles.WriteJson(Path.Combine(VersionDirectory(version), ShadowedName), comparison);

    /// <summary>Writes a new version's model file and manifest (the model first: a manifest names only a complete file).</summary>
    public void SaveVersion(ModelManifest manifest, byte[] model)
    {
        var directory = VersionDirectory(manifest.Version);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        RegistryFiles.WriteAtomically(path, model);
        RegistryFiles.WriteJson(ManifestPath(path), manifest);
    }

    /// <summary>
    /// Moves the seed's plain model file (and its manifest, which the caller supplies when the file came without one)
    /// into the versions and points the store at it, so that what served before the first versioned save stays one
    /// activation away.
    /// </summary>
    public void Adopt(ModelManifest manifest)
    {
        using var _ = Lock();
        if (!HoldsUnversionedModel) return;
        var directory = VersionDirectory(manifest.Version);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        File.Copy(ModelPath, path, overwrite: true);
        RegistryFiles.WriteJson(ManifestPath(path), manifest);
        ActivateLocked(manifest.Version, "adopted the unversioned model file", replacingPlainFile: true);
    }

    /// <summary>Points the store at <paramref name="version"/>; returns the history line written.</summary>
    public ModelActivation Activate(string version, string by)
    {
        using var _ = Lock();
        return ActivateLocked(version, by);
    }

    /// <summary>
    /// Deletes all but the newest <paramref name="keep"/> versions, never the active one or the one before it.
    /// Returns the versions deleted.
    /// </summary>
    public IReadOnlyList<string> Prune(int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        using var _ = Lock();
        var protectedVersions = new HashSet<string?>(StringComparer.Ordinal) { ActiveVersion, PreviousVersion };
        var deleted = new List<string>();
        foreach (var manifest in Versions().Skip(keep))
        {
            if (protectedVersions.Contains(manifest.Version)) continue;
            Directory.Delete(VersionDirectory(manifest.Version), recursive: true);
            deleted.Add(manifest.Version);
        }
        return deleted;
    }

    private ModelActivation ActivateLocked(string version, string by, bool replacingPlainFile = false)
    {
        var path = VersionModelPath(version);
        if (!File.Exists(path) || Find(version) is null) throw new RegistryException($"there is no model version {version}");
        var previous = ActiveVersion;

        if (HoldsUnversionedModel && !replacingPlainFile)
            throw new RegistryException($"{ModelPath} is a plain file, not yet adopted as a version; a trainer adopts it at its next save");
        // The seed's path and its manifest point through the pointer, once; after that only the pointer moves.
        var relativeModel = Path.Combine(ActiveName, FileName);
        if (new FileInfo(ModelPath).LinkTarget != relativeModel) RegistryFiles.LinkAtomically(ModelPath, relativeModel);
        if (new FileInfo(ManifestPath(ModelPath)).LinkTarget != ManifestPath(relativeModel))
            RegistryFiles.LinkAtomically(ManifestPath(ModelPath), ManifestPath(relativeModel));
        RegistryFiles.LinkAtomically(ActiveLink, Path.Combine(VersionsName, version));

        var activation = new ModelActivation(version, previous == version ? History().LastOrDefault()?.Previous : previous, by, DateTimeOffset.UtcNow);
        using (var history = new FileStream(HistoryPath, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            history.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(activation, RegistryFiles.JsonLine) + "\n"));
            history.Flush(flushToDisk: true);
        }
        return activation;
    }

    // One writer at a time across processes sharing the volume (the gateway activating, a trainer promoting): an
    // exclusive lock on a file beside the versions, waited for briefly.
    private FileStream Lock()
    {
        Directory.CreateDirectory(Root);
        var path = Path.Combine(Root, ".registry.lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
            catch (IOException e)
            {
                throw new RegistryException($"the model store at {Root} stayed locked for 10 s", e);
            }
        }
    }

    // Half-written by a trainer that is still saving it, or damaged: read as absent, never as a failure of whoever asked.
    private static T? ReadSound<T>(string path) where T : class
    {
        try
        {
            return RegistryFiles.Read<T>(path);
        }
        catch (Exception e) when (e is RegistryException or IOException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex VersionPattern();
}
