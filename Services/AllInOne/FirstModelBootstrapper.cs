using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.AllInOne;

/// <summary>With no model on disk, asks the in-process trainer for one (the seed's one epoch), through the bus like any retrain.</summary>
public sealed class FirstModelBootstrapper(ModelVolume volume, IBus bus, ILogger<FirstModelBootstrapper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (File.Exists(volume.ModelPath)) return;
        logger.LogInformation("No model at {ModelPath} yet: training a first one (1 epoch, progress below); predictions are answered once it is saved",
            volume.ModelPath);
        var endpoint = await bus.GetSendEndpoint(QueueNames.Address(QueueNames.RequestRetrain));
        await endpoint.Send(new RequestRetrain(NewId.NextGuid(), 1, null, null, null, "all-in-one start-up", DateTimeOffset.UtcNow), stoppingToken);
    }
}
