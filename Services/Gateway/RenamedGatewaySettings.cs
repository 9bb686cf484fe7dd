using Microsoft.Extensions.Options;

namespace MnistEvents.Gateway;

/// <summary>
/// Refuses to start with a gateway setting under its old name, which would otherwise be ignored: a token set as
/// <c>Gateway:RetrainToken</c> would leave every admin request refused, with no word why.
/// </summary>
public sealed class RenamedGatewaySettings(IConfiguration configuration) : IValidateOptions<GatewayOptions>
{
    private static readonly Dictionary<string, (string Now, string Why)> Renamed = new()
    {
        ["Gateway:RetrainToken"] = ($"{GatewayOptions.Section}:{nameof(GatewayOptions.AdminToken)}", "it guards activation and shadowing too"),
        ["Gateway:RetrainRequestsPerMinutePerClient"] =
            ($"{GatewayOptions.Section}:{nameof(GatewayOptions.AdminRequestsPerMinutePerClient)}", "it guards activation and shadowing too"),
        ["Gateway:MaxQueuedDecodes"] = ($"{GatewayOptions.Section}:{nameof(GatewayOptions.MaxQueuedDecodeMegabytes)}", "waiting uploads are measured by their size"),
    };

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var set = Renamed.Where(r => configuration[r.Key] is not null).Select(r => $"{r.Key} is now {r.Value.Now} ({r.Value.Why})").ToArray();
        return set.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(set);
    }
}
