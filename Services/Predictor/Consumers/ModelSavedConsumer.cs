using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Model.Store;
using MnistEvents.Predictor.Serving;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Predictor.Consumers;

/// <summary>Hot reload: verifies an announced model and swaps it in, or refuses it and keeps serving the old one.</summary>
public sealed class ModelSavedConsumer(ModelHolder holder, IOptions<PredictorOptions> options, ILogger<ModelSavedConsumer> logger)
    : IConsumer<ModelSaved>
{
    public async Task Consume(ConsumeContext<ModelSaved> context)
    {
        var saved = context.Message;
        if (holder.Manifest?.Sha256 == saved.Sha256) return;

        // The trainer's path is the shared volume's; where that volume is mounted elsewhere here, read our own path.
        var path = File.Exists(saved.Path) ? saved.Path : options.Value.ModelPath;
        ServedModel next;
        try
        {
            next = ModelVerifier.Load(path, saved.Sha256);
        }
        catch (ModelStoreException e)
        {
            logger.LogError("Refusing model {ModelVersion} from {ModelPath}: {Reason}; still serving {ServedVersion}",
                saved.Version, path, e.Message, holder.Manifest?.Version ?? "nothing");
            await context.Publish(new ModelRejected(ReplicaIdentity.Current, saved.Version, e.Message, holder.Manifest?.Version, DateTimeOffset.UtcNow));
            return;
        }

        var previous = holder.Manifest?.Version;
        holder.Swap(next);
        logger.LogInformation("Swapped model {PreviousVersion} for {ModelVersion}", previous ?? "nothing", saved.Version);
    }
}
