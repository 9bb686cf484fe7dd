using System.Buffers;
using System.Runtime.CompilerServices;
using SixLabors.ImageSharp.Memory;

namespace MnistEvents.Imaging;

/// <summary>
/// ImageSharp's buffers for one decode, refused once they would hold more than the budget at once. Headers can lie
/// (a GIF frame larger than its screen, a chunk that inflates a thousandfold), so the check is on what the decoder
/// actually asks for, not on what the header promised.
/// </summary>
internal sealed class BudgetedAllocator(MemoryAllocator pool, long budgetBytes) : MemoryAllocator
{
    // ImageSharp's own contiguous block size: large images become groups of buffers of at most this size.
    private const int BufferCapacityBytes = 4 * 1024 * 1024;

    private long held;
    private long peak;

    /// <summary>The most this decode has held at once, in bytes.</summary>
    public long PeakBytes => Interlocked.Read(ref peak);

    protected override int GetBufferCapacityInBytes() => BufferCapacityBytes;

    public override IMemoryOwner<T> Allocate<T>(int length, AllocationOptions options = AllocationOptions.None)
    {
        var bytes = (long)length * Unsafe.SizeOf<T>();
        var now = Interlocked.Add(ref held, bytes);
        if (now > budgetBytes)
        {
            Interlocked.Add(ref held, -bytes);
            throw new InvalidMemoryOperationException(
                $"Decoding needs more than the budget of {budgetBytes:N0} bytes ({now:N0} requested).");
        }
        for (var seen = Interlocked.Read(ref peak); now > seen; seen = Interlocked.Read(ref peak))
            if (Interlocked.CompareExchange(ref peak, now, seen) == seen) break;
        return new Lease<T>(pool.Allocate<T>(length, options), this, bytes);
    }

    private void Release(long bytes) => Interlocked.Add(ref held, -bytes);

    private sealed class Lease<T>(IMemoryOwner<T> buffer, BudgetedAllocator owner, long bytes) : IMemoryOwner<T>
    {
        private int disposed;

        public Memory<T> Memory => buffer.Memory;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0) return;
            buffer.Dispose();
            owner.Release(bytes);
        }
    }
}
