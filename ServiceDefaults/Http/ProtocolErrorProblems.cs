using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace MnistEvents.ServiceDefaults.Http;

public static class ProtocolErrorProblems
{
    /// <summary>Every HTTP/1 endpoint's output goes through <see cref="ProtocolErrorWriter"/>: Kestrel's own refusals are problem+json too.</summary>
    public static IServiceCollection AddProtocolErrorProblems(this IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            if (!listen.Protocols.HasFlag(HttpProtocols.Http1)) return;
            listen.Use(next => connection =>
            {
                var transport = connection.Transport;
                connection.Transport = new Pipe(transport.Input, new ProtocolErrorWriter(transport.Output));
                return next(connection);
            });
        }));

    private sealed class Pipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
