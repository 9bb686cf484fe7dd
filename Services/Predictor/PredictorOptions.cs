using System.ComponentModel.DataAnnotations;
using MnistEvents.Model.Inference;
using MnistEvents.Model.Store;

namespace MnistEvents.Predictor;

/// <summary>The <c>Predictor</c> configuration section, checked when the replica starts.</summary>
public sealed class PredictorOptions
{
    public const string Section = "Predictor";

    /// <summary>Largest model file read, in bytes: a link to a device or a runaway file is refused, not read.</summary>
    [Range(1024, 1L << 32)]
    public long MaxModelBytes { get; set; } = ModelStore.DefaultMaxBytes;

    /// <summary>
    /// Batches in flight at once per replica. One: a forward pass keeps its core busy (a pod's limit is one CPU, with one
    /// torch thread), and two at once only take turns on it, each evicting the other's activations from the cache. Under
    /// bench/oip's load, going from 2 to 1 cut the forward passes' own CPU per image by a fifth and raised throughput.
    /// Also the number of threads that run them (<c>InferenceThreads</c>).
    /// </summary>
    [Range(1, 64)]
    public int BatchConcurrency { get; set; } = 1;

    /// <summary>TorchSharp intra-op threads per forward pass; unset leaves TorchSharp's default (one per core). Several
    /// replicas on one machine serve best with 1 each, as the peer's gunicorn workers do, and so does a process that also
    /// decodes uploads (the embedded default sets 1).</summary>
    [Range(1, 256)]
    public int? TorchThreads { get; set; }

    public const int DefaultMallocArenas = NativeAllocator.ServingArenas;

    /// <summary>
    /// glibc malloc arenas the process allocates from, keeping what a batch frees for the next instead of handing it back
    /// to the kernel (<c>NativeAllocator</c>: half a replica's CPU per image in bench/oip); 0 leaves glibc's allocator as
    /// it is. Read once, as the replica is set up, before its threads start.
    /// </summary>
    [Range(0, 64)]
    public int MallocArenas { get; set; } = DefaultMallocArenas;

    /// <summary>
    /// How often a replica reports itself and compares the model on the volume with the one it serves (so a replica
    /// that missed a <c>ModelActivated</c>, e.g. while the broker was down, catches up by itself).
    /// </summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 2;

    /// <summary>
    /// Kept versions other than the served one a replica holds loaded at once for requests that name one (the Open
    /// Inference Protocol's <c>/versions/{v}</c> routes), loaded on demand, least recently used first out.
    /// </summary>
    [Range(1, 16)]
    public int KeptVersionsLoaded { get; set; } = 2;
}
