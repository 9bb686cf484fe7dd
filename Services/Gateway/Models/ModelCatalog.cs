using MnistEvents.Gateway.Replicas;
using MnistEvents.Gateway.Lifecycle;
using MnistEvents.Registry;

namespace MnistEvents.Gateway.Models;

/// <summary>The model volume's registry as the gateway sees it, joined with what the live replicas serve, and the live traffic's drift and the retrain policy as the controller last reported them.</summary>
public sealed class ModelCatalog(ReplicaRegistry replicas, ShadowBoard shadows, ModelRegistry registry, LifecycleReports reports)
{
    public ModelRegistry Registry => registry;

    /// <summary>Where a kept version came from and what became of it.</summary>
    public ModelLineageView Lineage(ModelManifest manifest)
    {
        var history = registry.History();
        return new ModelLineageView(manifest.Version, manifest.Sha256, manifest.Architecture, manifest.TrainedAt, manifest.TestAccuracy,
            manifest.UploadsAccuracy, registry.Lineage(manifest.Version), registry.Decision(manifest.Version), registry.Shadowed(manifest.Version),
            [.. history.Where(a => a.Version == manifest.Version)], [.. history.Where(a => a.Previous == manifest.Version)]);
    }

    public ModelsView View()
    {
        var view = replicas.View();
        var active = registry.ActiveVersion;
        var previous = registry.PreviousVersion;
        var servedBy = view.Replicas.Where(r => r.ModelVersion is not null).ToLookup(r => r.ModelVersion!, r => r.Replica);
        var versions = registry.Versions().Select(m => new ModelVersionView(m.Version, m.Architecture, m.TestAccuracy, m.UploadsAccuracy, m.Epochs,
            m.TrainingExamples, m.Corrections, m.TrainedAt, m.Version == active, m.Version == previous, registry.Decision(m.Version),
            servedBy[m.Version].ToArray(), registry.Shadowed(m.Version))).ToArray();
        // The volume's plan says what is shadowed: reports on anything else are from before it changed.
        var plan = registry.Shadow;
        var shadow = plan is null ? null
            : (shadows.View(plan.Version) ?? new ShadowView(plan.Version, 0, 0, 0, 0, 0, 0, 0, [])) with { PromoteAfter = plan.PromoteAfter };
        // A replica announces the manifest it loaded; scores recorded since (the seed's adopted file gets them when first judged against) are on the volume.
        var current = view.Current is { TestAccuracy: null } served && versions.FirstOrDefault(v => v.Version == served.Version)?.TestAccuracy is { } scored
            ? served with { TestAccuracy = scored }
            : view.Current;
        return view with
        {
            Current = current, Active = active ?? registry.ActiveManifest?.Version, Versions = versions, Shadow = shadow, Drift = reports.Drift?.Current,
            RetrainPolicy = reports.Policy,
        };
    }
}
