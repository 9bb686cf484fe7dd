using System.Runtime.InteropServices;

namespace MnistEvents.Model.Inference;

/// <summary>
/// How glibc's malloc, which libtorch allocates a forward pass's activations with, treats what a batch frees. By
/// default it hands large freed blocks back to the kernel (trimming each arena's top, unmapping big chunks), so every
/// batch page-faults its buffers in again: in bench/oip, perf showed a third of a replica's CPU in page faults, and
/// keeping freed memory halved the replica's CPU per image. Bounding the arenas bounds what is kept: without it each
/// thread that ran a batch could keep its own copy.
/// </summary>
public static class NativeAllocator
{
    private const int TrimThreshold = -1;   // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3;   // M_MMAP_THRESHOLD
    private const int ArenaMax = -8;        // M_ARENA_MAX

    // Freed memory up to this at an arena's top stays in the arena: a batch of 64 through the CNN peaks near 40 MB
    // (256 MB ran no faster in bench/oip and kept 20 MB more per replica).
    private const int KeptBytes = 64 * 1024 * 1024;

    // glibc's own ceiling for the mmap threshold on 64-bit: larger blocks are still mapped and unmapped each time.
    private const int LargestFromArena = 32 * 1024 * 1024;

    /// <summary>Keeps freed memory for reuse, in at most <paramref name="arenas"/> arenas; false where the C library is not glibc (nothing changed).</summary>
    public static bool KeepFreedMemory(int arenas)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(ArenaMax, arenas) == 1 && mallopt(MmapThreshold, LargestFromArena) == 1 && mallopt(TrimThreshold, KeptBytes) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
