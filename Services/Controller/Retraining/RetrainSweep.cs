using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Controller.Sagas;
using MnistEvents.Registry;

namespace MnistEvents.Controller.Retraining;

/// <summary>
/// Every <see cref="ControllerOptions.SweepSeconds"/>, asks the state machine to look again (<see cref="CheckRetrain"/>)
/// at each training that may need it: the longest-waiting one while none runs, one running that has gone silent, and one
/// waiting on its shadowing that the model store shows settled. Events make these happen at once; the sweep catches
/// what a restart or a lost event left, and is the machine's clock, with no delayed messages.
/// </summary>
public sealed class RetrainSweep(FileSagaStore<RetrainState> trainings, ModelRegistry registry, IBus bus, IOptions<ControllerOptions> options,
    ILogger<RetrainSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepSeconds));
        try
        {
            do
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("The trainings could not be looked over now: {Reason}", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var all = trainings.All();
        var due = all.Where(t => t.Running || t.CurrentState == nameof(RetrainStateMachine.AwaitingShadow) && Settled(t)).ToList();
        if (!all.Any(t => t.Running) && all.Where(t => t.Waiting).MinBy(t => t.RequestedAt) is { } next) due.Add(next);
        if (due.Count == 0) return;
        var endpoint = await bus.GetSendEndpoint(RetrainStateMachineDefinition.Address);
        foreach (var training in due) await endpoint.Send(new CheckRetrain(training.CorrelationId), cancellationToken);
    }

    private bool Settled(RetrainState training) => training.Version is not { } version || registry.Decision(version) is not { Pending: true };
}
