using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace MnistEvents.KubernetesTests.Support;

/// <summary>One rendering of k8s/ (the base or an overlay), loaded strictly into KubernetesClient's typed models.</summary>
public sealed class Manifests
{
    private static readonly ConcurrentDictionary<string, Lazy<Manifests>> Cache = new();

    private Manifests(string target, IReadOnlyList<object> documents)
    {
        Target = target;
        Documents = documents;
    }

    public string Target { get; }

    public IReadOnlyList<object> Documents { get; }

    /// <summary>Rendered by kustomize, then every document deserialized strictly: an unknown or misspelt field fails.</summary>
    public static Manifests Of(string target) => Cache.GetOrAdd(target, t => new Lazy<Manifests>(() => Load(t, Kustomize.Render(t)))).Value;

    /// <summary><paramref name="target"/> as rendered from a copy of k8s/ prepared apart (<see cref="Kustomize.Prepare"/>).</summary>
    public static Manifests In(string copy, string target) => Load(target, Kustomize.RenderIn(copy, target));

    private static Manifests Load(string target, string yaml) => new(target, KubernetesYaml.LoadAllFromString(yaml, Keda.Types, strict: true));

    public IEnumerable<T> All<T>() => Documents.OfType<T>();

    public T Single<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        All<T>().SingleOrDefault(o => o.Metadata.Name == name) ?? throw new InvalidOperationException($"{Target} has no {typeof(T).Name} {name}");

    /// <summary>Every pod this rendering runs, by the workload that owns it.</summary>
    public IEnumerable<Workload> Workloads() =>
        All<V1Deployment>().Select(d => new Workload("Deployment", d.Metadata.Name, d.Spec.Template, []))
            .Concat(All<V1StatefulSet>().Select(s => new Workload("StatefulSet", s.Metadata.Name, s.Spec.Template,
                s.Spec.VolumeClaimTemplates?.Select(c => c.Metadata.Name).ToList() ?? [])))
            .Concat(All<V1Job>().Select(j => new Workload("Job", j.Metadata.Name, j.Spec.Template, [])))
            .Concat(All<V1CronJob>().Where(c => c.Spec.Suspend != true)
                .Select(c => new Workload("CronJob", c.Metadata.Name, c.Spec.JobTemplate.Spec.Template, [])))
            // A suspended one never runs itself: the launcher's template, whose pod every training Job runs, is "trainer".
            .Concat(All<V1CronJob>().Where(c => c.Spec.Suspend == true)
                .Select(c => new Workload("Job template", c.Spec.JobTemplate.Metadata.Labels["app.kubernetes.io/name"], c.Spec.JobTemplate.Spec.Template, [])));

    public V1ConfigMap ConfigMap(string name) => Single<V1ConfigMap>(name);

    /// <summary>The ConfigMap that kustomize generated from <paramref name="generatorName"/> (its name carries a content hash).</summary>
    public V1ConfigMap Generated(string generatorName) =>
        All<V1ConfigMap>().Single(c => c.Metadata.Name.StartsWith(generatorName + "-", StringComparison.Ordinal));

    public V1Secret GeneratedSecret(string generatorName) =>
        All<V1Secret>().Single(c => c.Metadata.Name.StartsWith(generatorName + "-", StringComparison.Ordinal));
}
