using System.Security.Cryptography;
using MnistEvents.Controller;
using MnistEvents.Gateway;

namespace MnistEvents.AllInOne;

public static class Extensions
{
    /// <summary>
    /// What only the embedded default does: an admin token generated at start-up when none is configured, the URL and
    /// token told to the person at the console, and the controller asked for a first model when there is none.
    /// </summary>
    public static IHostApplicationBuilder AddAllInOne(this IHostApplicationBuilder builder)
    {
        var key = $"{GatewayOptions.Section}:{nameof(GatewayOptions.AdminToken)}";
        var generate = string.IsNullOrEmpty(builder.Configuration[key]);
        if (generate) builder.Configuration[key] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        builder.Configuration[$"{ControllerOptions.Section}:{nameof(ControllerOptions.TrainFirstModel)}"] ??= "true";
        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ConsoleGuide>(sp, generate));
        return builder;
    }
}
