using System.Security.Cryptography;
using MnistEvents.Gateway;

namespace MnistEvents.AllInOne;

public static class Extensions
{
    /// <summary>
    /// What only the embedded default does: an admin token generated at start-up when none is configured, the URL and
    /// token told to the person at the console, and a first model trained when there is none.
    /// </summary>
    public static IHostApplicationBuilder AddAllInOne(this IHostApplicationBuilder builder)
    {
        var key = $"{GatewayOptions.Section}:{nameof(GatewayOptions.AdminToken)}";
        var generate = string.IsNullOrEmpty(builder.Configuration[key]);
        if (generate) builder.Configuration[key] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ConsoleGuide>(sp, generate));
        builder.Services.AddHostedService<FirstModelBootstrapper>();
        return builder;
    }
}
