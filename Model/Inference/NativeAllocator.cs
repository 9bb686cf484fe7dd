using System.Runtime.InteropServices;

namespace MnistEvents.Model.Inference;

/// <summary>
/// How glibc's malloc, which libtorch allocates a forward pass's activations with, treats what a batch frees. By
/// default it hands large freed blocks back to the kernel (trimming each arena's top, unmapping big chunks), so every
/// batch page-faults its buffers in again: in bench/oip, perf showed a third of a replica's CPU in page faults, and
/// keeping freed memory halved the replica's CPU per image. The top pad matters as much as the trim threshold: an arena
/// other than the main one grows in heaps of at most 64 MB and unmaps a heap as soon as it is empty unless the pad
/// covers it, so a batch whose activations ran past one heap (the CNN at ~64 digits and more) still page-faulted them
/// in each time: 3–6 minor faults an image in a loaded replica, and 0.1 with the pad, its forward passes 0.15–0.19 ms an
/// image against 0.12 (bench/oip's load, alternated). Bounding the arenas bounds what is kept, since each keeps its own,
/// as does running every batch on the same threads (the predictor's InferenceThreads).
/// </summary>
public static class NativeAllocator
{
    /// <summary>What a replica uses: one arena, as it runs one batch at a time on one thread by default.</summary>
    public const int ServingArenas = 1;

    private const int TrimThreshold = -1;   // M_TRIM_THRESHOLD
    private const int TopPad = -2;          // M_TOP_PAD
    private const int MmapThreshold = -3;   // M_MMAP_THRESHOLD
    private const int ArenaMax = -8;        // M_ARENA_MAX

    // Freed memory up to this at an arena's top stays in the arena, and heaps are grown and kept with this much to spare: a
    // batch of 64 through the CNN peaks near 40 MB (256 MB ran no faster in bench/oip and kept 20 MB more per replica).
    private const int KeptBytes = 64 * 1024 * 1024;

    // glibc's own ceiling for the mmap threshold on 64-bit: larger blocks are still mapped and unmapped each time.
    private const int LargestFromArena = 32 * 1024 * 1024;

    /// <summary>Keeps freed memory for reuse, in at most <paramref name="arenas"/> arenas; false where the C library is not glibc (nothing changed).</summary>
    public static bool KeepFreedMemory(int arenas)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(ArenaMax, arenas) == 1 && mallopt(MmapThreshold, LargestFromArena) == 1 && mallopt(TrimThreshold, KeptBytes) == 1
                && mallopt(TopPad, KeptBytes) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
