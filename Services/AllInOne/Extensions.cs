using System.Security.Cryptography;
using MnistEvents.Gateway;

namespace MnistEvents.AllInOne;

public static class Extensions
{
    /// <summary>
    /// What only the embedded default does: a retrain token generated at start-up when none is configured (printed, so
    /// the person at the console can use it), and a first model trained when there is none.
    /// </summary>
    public static IHostApplicationBuilder AddAllInOne(this IHostApplicationBuilder builder)
    {
        var key = $"{GatewayOptions.Section}:{nameof(GatewayOptions.RetrainToken)}";
        if (string.IsNullOrEmpty(builder.Configuration[key]))
        {
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            builder.Configuration[key] = token;
            Console.WriteLine($"Retrain token for this run: {token}  (curl -X POST -H 'Authorization: Bearer {token}' http://localhost:8080/retrain)");
        }
        builder.Services.AddHostedService<FirstModelBootstrapper>();
        return builder;
    }
}
