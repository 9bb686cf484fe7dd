using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;

namespace MnistEvents.Launcher;

/// <summary>
/// Follows each launched training Job until it ends. The Job's own trainer announces its progress, its model and a
/// failure it can name; what it cannot announce is its own failure to run, so this publishes <c>TrainingFailed</c> when
/// the Job fails without its trainer having said so (killed, out of memory, bad usage) or its pod cannot start (and
/// then deletes the Job, which would otherwise block every later request): each failure is announced once. After a
/// restart it goes on following the Jobs still running.
/// </summary>
public sealed class JobWatcher(TrainingJobs jobs, IBus bus, IOptions<LauncherOptions> options, TimeProvider time, ILogger<JobWatcher> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, Guid> watched = new();

    public void Watch(string jobName, Guid trainingId) => watched[jobName] = trainingId;

    public bool IsWatching(string jobName) => watched.ContainsKey(jobName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ResumeAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                foreach (var (name, trainingId) in watched) await CheckAsync(name, trainingId, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (name, trainingId) in await jobs.UnfinishedAsync(cancellationToken)) watched.TryAdd(name, trainingId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Could not list the training Jobs still running: {Reason}", e.Message);
        }
    }

    private async Task CheckAsync(string name, Guid trainingId, CancellationToken cancellationToken)
    {
        try
        {
            var state = await jobs.StateAsync(name, cancellationToken);
            if (state.Phase == JobPhase.Running) return;
            if (state.Phase == JobPhase.Succeeded)
            {
                logger.LogInformation("Training Job {JobName} for {TrainingId} finished", name, trainingId);
            }
            else if (state.Phase == JobPhase.FailureAnnounced)
            {
                logger.LogInformation("Training Job {JobName} for {TrainingId} failed; its trainer announced why", name, trainingId);
            }
            else
            {
                logger.LogWarning("Training {TrainingId} failed: {Reason}", trainingId, state.Reason);
                if (state.Phase == JobPhase.CannotStart) await jobs.DeleteAsync(name, cancellationToken);
                await bus.Publish(new TrainingFailed(trainingId, state.Reason!, time.GetUtcNow()), cancellationToken);
            }
            watched.TryRemove(name, out _);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The API server or the broker may be briefly away: the Job stays watched and is looked at again next time.
            logger.LogWarning("Could not follow training Job {JobName} this time: {Reason}", name, e.Message);
        }
    }
}
