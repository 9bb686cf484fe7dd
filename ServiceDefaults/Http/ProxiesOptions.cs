using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;

namespace MnistEvents.ServiceDefaults.Http;

/// <summary>
/// The <c>Proxies</c> configuration section: the reverse proxies in front of a service (Services/Web, an ingress
/// controller) whose <c>X-Forwarded-For</c> it believes. Behind one, every client arrives from the proxy's address, so
/// each per-client limit and share would hold for all clients together; from anyone else the header is a claim anyone
/// can write, and is ignored. Empty, the default, believes no one: the embedded default and a gateway reached directly.
/// </summary>
public sealed class ProxiesOptions : IValidatableObject
{
    public const string Section = "Proxies";

    /// <summary>Addresses ("10.0.0.7") or networks in CIDR form ("10.244.0.0/16") of the proxies to believe.</summary>
    public string[] Trusted { get; set; } = [];

    /// <summary>Each entry of <see cref="Trusted"/> as a network; an address is the network of itself alone.</summary>
    public IReadOnlyList<IPNetwork> Networks() => [.. Trusted.Select(entry => TryParse(entry, out var network) ? network : throw new FormatException(entry))];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var entry in Trusted.Where(entry => !TryParse(entry, out _)))
        {
            yield return new ValidationResult($"'{entry}' is neither an IP address nor a network in CIDR form with no bits set past its prefix, " +
                                              "as in '10.0.0.7' or '10.244.0.0/16'.", [nameof(Trusted)]);
        }
    }

    private static bool TryParse(string entry, out IPNetwork network)
    {
        // "10.0.0.7/8" is parsed as 10.0.0.0/8: one proxy's address with a slip of the prefix would trust a whole network.
        if (IPNetwork.TryParse(entry, out network)) return IPAddress.TryParse(entry.Split('/')[0], out var written) && written.Equals(network.BaseAddress);
        if (!IPAddress.TryParse(entry, out var address) || entry.Contains('/')) return false;
        network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }
}
