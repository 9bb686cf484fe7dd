using Microsoft.Extensions.Options;

namespace MnistEvents.Gateway;

/// <summary>
/// Refuses to start with a gateway setting under its old name, which would otherwise be ignored: a token set as
/// <c>Gateway:RetrainToken</c> would leave every admin request refused, with no word why.
/// </summary>
public sealed class RenamedGatewaySettings(IConfiguration configuration) : IValidateOptions<GatewayOptions>
{
    private static readonly Dictionary<string, string> Renamed = new()
    {
        ["Gateway:RetrainToken"] = $"{GatewayOptions.Section}:{nameof(GatewayOptions.AdminToken)}",
        ["Gateway:RetrainRequestsPerMinutePerClient"] = $"{GatewayOptions.Section}:{nameof(GatewayOptions.AdminRequestsPerMinutePerClient)}",
    };

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var set = Renamed.Where(r => configuration[r.Key] is not null).Select(r => $"{r.Key} is now {r.Value} (it guards activation and shadowing too)").ToArray();
        return set.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(set);
    }
}
