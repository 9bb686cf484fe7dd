using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace MnistEvents.ServiceDefaults.Http;

/// <summary>
/// The connection's output, passed through unchanged but for one thing: the bodiless answers Kestrel itself gives a
/// request it cannot parse (a malformed request line or header: 400; a request line over its limit: 414; headers over
/// theirs: 431; an HTTP version it does not speak: 505, which is the client's doing and becomes a 400) get an
/// <c>application/problem+json</c> body that says what was wrong, like every other error. Those answers never reach
/// the middleware pipeline, and Kestrel offers no hook for their bodies; they are recognised by what only they are: a
/// 4xx (or 505) head with <c>Content-Length: 0</c> and <c>Connection: close</c>, written on its own.
/// </summary>
public sealed class ProtocolErrorWriter(PipeWriter inner) : PipeWriter
{
    private static readonly byte[] Http11 = "HTTP/1.1 "u8.ToArray();
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] NoBody = "\r\nContent-Length: 0\r\n"u8.ToArray();
    private static readonly byte[] Closing = "\r\nConnection: close\r\n"u8.ToArray();

    private Memory<byte> lent;

    public override Memory<byte> GetMemory(int sizeHint = 0) => lent = inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (bytes <= lent.Length && ProtocolError(lent.Span[..bytes]) is { } status)
        {
            var head = lent.Span[..bytes].ToArray();
            var replacement = WithProblem(head, status);
            replacement.CopyTo(inner.GetSpan(replacement.Length));
            inner.Advance(replacement.Length);
        }
        else inner.Advance(bytes);
        lent = default;
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    /// <summary>The status of a bodiless protocol error head that is all of <paramref name="written"/>, or null.</summary>
    public static int? ProtocolError(ReadOnlySpan<byte> written)
    {
        if (written.Length < 16 || !written.StartsWith(Http11)) return null;
        var code = written.Slice(Http11.Length, 3);
        if (code[0] != (byte)'4' && !code.SequenceEqual("505"u8)) return null;
        if (written.IndexOf(EndOfHead) != written.Length - EndOfHead.Length) return null;
        if (written.IndexOf(NoBody) < 0 || written.IndexOf(Closing) < 0) return null;
        return (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    }

    private static byte[] WithProblem(byte[] head, int status)
    {
        var (answered, title, detail) = status switch
        {
            400 => (400, "Bad request", "The request could not be read as HTTP/1.1: a malformed request line or header, or a body framed wrong (a Content-Length that does not match it, or both Content-Length and chunked)."),
            414 => (414, "Request line too long", "The request line (method, path and query) is longer than the server reads, 8 KB."),
            431 => (431, "Request headers too large", "The request's headers are larger than the server reads (32 KB in all, at most 100 of them)."),
            411 => (411, "Length required", "A request with a body needs a Content-Length or chunked Transfer-Encoding."),
            505 => (400, "HTTP version not supported", "This server speaks HTTP/1.0, HTTP/1.1 and HTTP/2; the request asked for another version."),
            _ => (status, "Bad request", "The request could not be read as HTTP."),
        };
        var body = Encoding.UTF8.GetBytes(
            $$"""{"type":"https://tools.ietf.org/html/rfc9110#section-15.5","title":"{{title}}","status":{{answered}},"detail":"{{detail}}"}""");
        var text = Encoding.ASCII.GetString(head);
        var lines = text[..^4].Split("\r\n").ToList();
        if (answered != status) lines[0] = $"HTTP/1.1 {answered} Bad Request";
        lines.RemoveAll(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        lines.Add("Content-Type: application/problem+json");
        lines.Add($"Content-Length: {body.Length}");
        return [.. Encoding.ASCII.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n"), .. body];
    }
}
