using System.ComponentModel.DataAnnotations;

namespace MnistEvents.ServiceDefaults.Http;

/// <summary>
/// The <c>Hosts</c> configuration section: the host names a service answers for, where the deployment knows them (a
/// fixed ingress name, say). Empty, the default, answers for any: k8s/'s gateway is reached by its NodePort on whatever
/// address the node has, as the seed's was. ASP.NET's own <c>AllowedHosts</c> answers an HTML page; this answers problem+json.
/// </summary>
public sealed class HostsOptions : IValidatableObject
{
    public const string Section = "Hosts";

    /// <summary>Host names (no scheme, no port; compared without regard to case) a request's Host header may name.</summary>
    public string[] Allowed { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var host in Allowed)
        {
            if (string.IsNullOrWhiteSpace(host) || host.Contains("://", StringComparison.Ordinal) || host.Contains('/') || host.Contains('*'))
                yield return new ValidationResult($"'{host}' is not a host name: give the name alone, as in 'mnist.example.org' (no scheme, path or wildcard).", [nameof(Allowed)]);
        }
    }
}
