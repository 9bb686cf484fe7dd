using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Model.Store;
using MnistEvents.Predictor.Serving;
using MnistEvents.Registry;

namespace MnistEvents.Predictor.Consumers;

/// <summary>
/// Starts (or, at rate 0, stops) shadowing a kept version: read from this replica's own model directory's versions, by
/// name, never by a path in the message, and verified like a served model (sha256, smoke inference) before it runs.
/// </summary>
public sealed class ShadowStartedConsumer(ShadowRunner shadow, IOptions<PredictorOptions> options, ILogger<ShadowStartedConsumer> logger)
    : IConsumer<ShadowStarted>
{
    public Task Consume(ConsumeContext<ShadowStarted> context)
    {
        var message = context.Message;
        if (message.SampleRate <= 0 || !double.IsFinite(message.SampleRate))
        {
            shadow.Stop();
            logger.LogInformation("Stopped shadowing {ModelVersion}", message.Version);
            return Task.CompletedTask;
        }
        if (!ModelRegistry.IsValidVersion(message.Version))
        {
            logger.LogWarning("Not shadowing '{ModelVersion}': not a version name", message.Version);
            return Task.CompletedTask;
        }
        try
        {
            var path = new ModelRegistry(options.Value.ModelPath).VersionModelPath(message.Version);
            shadow.Start(ModelVerifier.Load(path, options.Value.MaxModelBytes, message.Sha256), Math.Min(1, message.SampleRate));
            logger.LogInformation("Shadowing {ModelVersion} on {SampleRate:P0} of batches", message.Version, Math.Min(1, message.SampleRate));
        }
        catch (ModelStoreException e)
        {
            logger.LogWarning("Not shadowing {ModelVersion}: {Reason}", message.Version, e.Message);
        }
        return Task.CompletedTask;
    }
}
