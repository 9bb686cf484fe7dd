using Microsoft.AspNetCore.Http;
using MnistEvents.Gateway.Predictions;
using MnistEvents.Gateway.Problems;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// A body read into a pooled buffer arrives whole however it is split and whether or not its length is declared, and a
/// body past the limit is a 413, whether it says so up front or only sends too much.
/// </summary>
public class UploadReaderTests
{
    private const long Limit = 300_000;

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(65_536, true)]
    [InlineData(65_537, false)]
    [InlineData(200_000, true)]
    [InlineData(200_000, false)]
    [InlineData(300_000, false)]
    public async Task ABodyArrivesWholeInWhateverPiecesItComes(int size, bool declared)
    {
        var sent = new byte[size];
        new Random(size).NextBytes(sent);

        using var body = await UploadReader.RentBodyAsync(Request(sent, declared, seed: size), Limit, CancellationToken.None);

        Assert.Equal(sent, body.Bytes.ToArray());
    }

    [Fact]
    public async Task ABodyPastTheLimitIsRefusedWhetherDeclaredOrOnlySent()
    {
        var sent = new byte[Limit + 1];

        var declared = await Assert.ThrowsAsync<ProblemException>(() => UploadReader.RentBodyAsync(Request(sent, true, 1), Limit, CancellationToken.None));
        var undeclared = await Assert.ThrowsAsync<ProblemException>(() => UploadReader.RentBodyAsync(Request(sent, false, 2), Limit, CancellationToken.None));

        Assert.Equal((413, 413), (declared.Status, undeclared.Status));
        Assert.Contains("300,000", undeclared.Message);
    }

    [Fact]
    public async Task ABodyIsReadOnlyWhileItIsUsed()
    {
        var body = await UploadReader.RentBodyAsync(Request([1, 2, 3], true, 3), Limit, CancellationToken.None);
        body.Dispose();

        Assert.Throws<ObjectDisposedException>(() => body.Bytes);
    }

    // The body in reads of 1 to 9,000 bytes (seeded), as a network delivers it.
    private static HttpRequest Request(byte[] sent, bool declared, int seed)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new PiecesStream(sent, new Random(seed));
        if (declared) context.Request.ContentLength = sent.Length;
        return context.Request;
    }

    private sealed class PiecesStream(byte[] data, Random random) : MemoryStream(data, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, random.Next(1, 9_000))], cancellationToken);
    }
}
