using System.ComponentModel.DataAnnotations;

namespace MnistEvents.Web;

/// <summary>The <c>Web</c> configuration section, checked when the service starts.</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>The gateway that every API route and the SignalR hub are forwarded to.</summary>
    [Required, Url]
    public string GatewayUrl { get; set; } = "http://localhost:8080";
}
