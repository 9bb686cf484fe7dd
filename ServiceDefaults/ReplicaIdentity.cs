namespace MnistEvents.ServiceDefaults;

/// <summary>Names this process among its replicas: the pod name on Kubernetes (POD_NAME from the downward API), else host and pid.</summary>
public static class ReplicaIdentity
{
    public const string EnvironmentVariable = "POD_NAME";

    public static string Current { get; } =
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } pod
            ? pod
            : $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}";
}
