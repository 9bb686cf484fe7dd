using System.Buffers;

namespace MnistEvents.Gateway.Predictions;

/// <summary>A request body in a buffer rented from <see cref="ArrayPool{T}.Shared"/> (<see cref="UploadReader.RentBodyAsync"/>): read it, then dispose it, and keep nothing that points into it.</summary>
public sealed class RentedBody(byte[] buffer, int length) : IDisposable
{
    private byte[]? buffer = buffer;

    public ReadOnlyMemory<byte> Bytes => buffer is { } rented ? rented.AsMemory(0, length) : throw new ObjectDisposedException(nameof(RentedBody));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } rented) ArrayPool<byte>.Shared.Return(rented);
    }
}
