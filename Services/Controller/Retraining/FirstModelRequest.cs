using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Controller.Sagas;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Controller.Retraining;

/// <summary>
/// With <see cref="ControllerOptions.TrainFirstModel"/>, a volume with no model at start gets one: a retrain request (the
/// seed's one epoch) like anyone's, unless a training is already under way (a restart during the first one).
/// </summary>
public sealed class FirstModelRequest(ModelVolume volume, FileSagaStore<RetrainState> trainings, IBus bus, IOptions<ControllerOptions> options,
    TimeProvider time, ILogger<FirstModelRequest> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.TrainFirstModel || File.Exists(volume.ModelPath) || trainings.All().Any(t => !t.Ended)) return;
        logger.LogInformation("No model at {ModelPath} yet: training a first one (1 epoch, progress below); predictions are answered once it is saved",
            volume.ModelPath);
        var endpoint = await bus.GetSendEndpoint(QueueNames.Address(QueueNames.RequestRetrain));
        await endpoint.Send(new RequestRetrain(NewId.NextGuid(), 1, null, null, null, "the controller: the model volume held no model", time.GetUtcNow()),
            stoppingToken);
    }
}
