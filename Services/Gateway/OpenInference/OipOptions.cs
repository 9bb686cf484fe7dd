using System.ComponentModel.DataAnnotations;

namespace MnistEvents.Gateway.OpenInference;

/// <summary>The <c>OpenInference</c> configuration section, checked when the gateway starts.</summary>
public sealed class OipOptions
{
    public const string Section = "OpenInference";

    /// <summary>
    /// The port of the protocol's gRPC service (HTTP/2 cleartext, beside the HTTP API's own port, which stays HTTP/1.1);
    /// 0 serves no gRPC port. 8001 is the port Triton and KServe serve it on.
    /// </summary>
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = 8001;
}
