namespace MnistEvents.Predictor.Serving;

/// <summary>
/// The machine this replica runs on, and its cores when the replica shares them with whatever else runs there: with no
/// CPU limit of its own (the local topology, the benches and the fault suite run three replicas on one machine) it runs
/// on any of the machine's online cores; with one (Kubernetes' <c>resources.limits.cpu</c> below the node's cores, an
/// affinity mask) its cores are its own, and it says 0. The gateway keeps no more batches in flight on a shared host than
/// it has cores.
/// </summary>
public static class HostCores
{
    /// <summary>Kubernetes' node (<c>spec.nodeName</c> given as NODE_NAME), or the machine's name.</summary>
    public static string Host { get; } =
        Environment.GetEnvironmentVariable("NODE_NAME") is { Length: > 0 } node ? node : Environment.MachineName;

    public static int Shared { get; } = Online("/sys/devices/system/cpu/online") is { } online && online == Environment.ProcessorCount ? online : 0;

    /// <summary>The CPUs a Linux cpu list names ("0-3,6,8-9": 7), or null where there is none to read.</summary>
    public static int? Online(string path)
    {
        try
        {
            return Count(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static int? Count(string list)
    {
        var count = 0;
        foreach (var part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-');
            if (!int.TryParse(bounds[0], out var first) || !int.TryParse(bounds[^1], out var last) || bounds.Length > 2 || last < first) return null;
            count += last - first + 1;
        }
        return count > 0 ? count : null;
    }
}
