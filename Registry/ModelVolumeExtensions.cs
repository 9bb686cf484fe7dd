using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MnistEvents.Registry;

public static class ModelVolumeExtensions
{
    /// <summary>
    /// The model volume (<see cref="ModelVolumeOptions"/>, checked at start), its <see cref="ModelRegistry"/> and its
    /// <see cref="CorrectionsLog"/> with the corrections' trust rules (<see cref="CorrectionsOptions"/>), once however many services of one host ask for it. A retired per-service path
    /// setting stops the start with the one to use instead.
    /// </summary>
    public static IHostApplicationBuilder AddModelVolume(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(ModelVolume))) return builder;
        builder.Services.AddOptions<ModelVolumeOptions>().BindConfiguration(ModelVolumeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ModelVolumeOptions>, RetiredVolumeSettings>();
        builder.Services.AddOptions<CorrectionsOptions>().BindConfiguration(CorrectionsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ModelVolumeOptions>>().Value;
            return new ModelVolume(options.ModelPath, options.LockPatience);
        });
        builder.Services.AddSingleton(sp => new ModelRegistry(sp.GetRequiredService<ModelVolume>()));
        builder.Services.AddSingleton(sp => new CorrectionsLog(sp.GetRequiredService<ModelVolume>(),
            sp.GetRequiredService<IOptions<ModelVolumeOptions>>().Value.MaxCorrections, sp.GetRequiredService<ILogger<CorrectionsLog>>(),
            sp.GetRequiredService<IOptions<CorrectionsOptions>>().Value));
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
