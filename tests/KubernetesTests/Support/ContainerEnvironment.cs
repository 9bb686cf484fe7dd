using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace MnistEvents.KubernetesTests.Support;

/// <summary>The environment a container starts with: its envFrom ConfigMaps, then its own env (a Secret's value stands in as "secret").</summary>
public static class ContainerEnvironment
{
    public const string SecretValue = "secret-from-kubernetes";

    public static Dictionary<string, string> Of(V1Container container, Manifests manifests)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
            foreach (var (key, value) in manifests.ConfigMap(source.ConfigMapRef.Name).Data)
                env[key] = value;
        foreach (var variable in container.Env ?? [])
        {
            env[variable.Name] = variable switch
            {
                { Value: { } value } => value,
                { ValueFrom.SecretKeyRef: not null } => SecretValue,
                { ValueFrom.FieldRef.FieldPath: var path } => $"field:{path}",
                _ => throw new InvalidOperationException($"env {variable.Name} of {container.Name} has no value"),
            };
        }
        return env;
    }

    /// <summary>The environment as .NET's environment-variable configuration reads it: <c>A__B</c> is key <c>A:B</c>.</summary>
    public static IConfiguration Configuration(IEnumerable<KeyValuePair<string, string>> environment) =>
        new ConfigurationBuilder().AddInMemoryCollection(environment
            .Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value))).Build();
}
