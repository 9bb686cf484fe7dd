using MassTransit;
using MnistEvents.Contracts;

namespace MnistEvents.Controller.Retraining;

/// <summary>
/// Every training from its request to its end, correlated by training id: <c>Queued</c> (its settings checked, waiting
/// its turn or started and not yet heard from) → <c>Training</c> → judged by its trainer, then <c>Promoted</c> (it
/// serves), <c>Refused</c>, or <c>AwaitingShadow</c> → <c>Promoted</c> | <c>Superseded</c> (a newer activation, by a
/// person or another promotion, or a newer shadow plan came first); <c>Failed</c> from any step before the judgement;
/// a request that cannot run is <c>Refused</c> at once. Each end is announced once, by <see cref="RetrainSettled"/>.
/// An event that may end any waiting candidate (an activation, a shadow plan started or stopped) reaches every training
/// in <c>AwaitingShadow</c> (a query over the state files); each then reads what the model store recorded for its
/// candidate, the store having decided under its lock. The decisions themselves are <see cref="RetrainLifecycle"/>'s.
/// </summary>
public sealed class RetrainStateMachine : MassTransitStateMachine<RetrainState>
{
    public RetrainStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Requested, e => e.CorrelateById(c => c.Message.TrainingId));
        Event(() => PolicyRequested, e => e.CorrelateById(c => c.Message.Request.TrainingId));
        Event(() => Started, e => e.CorrelateById(c => c.Message.TrainingId));
        Event(() => Progressed, e => e.CorrelateById(c => c.Message.TrainingId));
        Event(() => TrainingFailed, e => e.CorrelateById(c => c.Message.TrainingId));
        Event(() => Judged, e => e.CorrelateById(c => c.Message.TrainingId));
        Event(() => Check, e =>
        {
            e.CorrelateById(c => c.Message.TrainingId);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => Shadowed, e =>
        {
            e.CorrelateBy((training, c) => training.CurrentState == nameof(AwaitingShadow) && training.Version == c.Message.Candidate);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => Activated, EveryWaitingTraining);
        Event(() => ShadowStarted, EveryWaitingTraining);
        Event(() => ShadowStopped, EveryWaitingTraining);

        Initially(
            When(Requested).ThenAsync(c => RequestedAsync(c, c.Message)),
            When(PolicyRequested).ThenAsync(c =>
            {
                (c.Saga.Rule, c.Saga.Cause) = (c.Message.Rule, c.Message.Cause);
                return RequestedAsync(c, c.Message.Request);
            }),
            // A training the controller did not start (a trainer's command line on the broker) is followed all the same.
            When(Started).Then(Heard).TransitionTo(Training),
            When(Progressed).Then(Heard).TransitionTo(Training),
            When(TrainingFailed).ThenAsync(FailedAsync),
            When(Judged).ThenAsync(JudgedAsync));

        During(Queued,
            When(Check).ThenAsync(CheckQueuedAsync),
            When(Started).Then(Heard).TransitionTo(Training),
            When(Progressed).Then(Heard).TransitionTo(Training),
            When(TrainingFailed).ThenAsync(FailedAsync),
            When(Judged).ThenAsync(JudgedAsync));

        During(Training,
            When(Check).ThenAsync(CheckRunningAsync),
            When(Started).Then(Heard),
            When(Progressed).Then(Heard),
            When(TrainingFailed).ThenAsync(FailedAsync),
            When(Judged).ThenAsync(JudgedAsync));

        During(AwaitingShadow,
            When(Shadowed).ThenAsync(ShadowedAsync),
            When(Activated).ThenAsync(ReviewAsync),
            When(ShadowStarted).ThenAsync(ReviewAsync),
            When(ShadowStopped).ThenAsync(ReviewAsync),
            When(Check).ThenAsync(ReviewAsync));

        // The same request again (a redelivery, or a publisher repeating its training id) is one training: answered as it stands.
        DuringAny(When(Requested).ThenAsync(RepeatedAsync));

        // Late and repeated events (progress after a failure, a second judgement) change nothing.
        OnUnhandledEvent(x => x.Ignore());
    }

    public State Queued { get; private set; } = null!;
    public State Training { get; private set; } = null!;
    public State AwaitingShadow { get; private set; } = null!;
    public State Promoted { get; private set; } = null!;
    public State Refused { get; private set; } = null!;
    public State Failed { get; private set; } = null!;
    public State Superseded { get; private set; } = null!;

    public Event<RequestRetrain> Requested { get; private set; } = null!;
    public Event<PolicyAsked> PolicyRequested { get; private set; } = null!;
    public Event<TrainingStarted> Started { get; private set; } = null!;
    public Event<TrainingProgressed> Progressed { get; private set; } = null!;
    public Event<TrainingFailed> TrainingFailed { get; private set; } = null!;
    public Event<CandidateJudged> Judged { get; private set; } = null!;
    public Event<ShadowReported> Shadowed { get; private set; } = null!;
    public Event<ModelActivated> Activated { get; private set; } = null!;
    public Event<ShadowStarted> ShadowStarted { get; private set; } = null!;
    public Event<ShadowStopped> ShadowStopped { get; private set; } = null!;
    public Event<CheckRetrain> Check { get; private set; } = null!;

    // An event that may end any candidate's wait reaches every training waiting on its shadowing, and none is created for it.
    private static void EveryWaitingTraining<T>(IEventCorrelationConfigurator<RetrainState, T> e) where T : class
    {
        e.CorrelateBy((training, _) => training.CurrentState == nameof(AwaitingShadow));
        e.OnMissingInstance(m => m.Discard());
    }

    private static RetrainLifecycle Lifecycle(ConsumeContext context) => context.GetServiceOrCreateInstance<RetrainLifecycle>();

    private static TimeProvider Time(ConsumeContext context) => context.GetServiceOrCreateInstance<TimeProvider>();

    private async Task RequestedAsync(BehaviorContext<RetrainState> context, RequestRetrain request)
    {
        var lifecycle = Lifecycle(context);
        var training = context.Saga;
        var now = Time(context).GetUtcNow();
        // Its place in line is when the controller took it, whatever time its publisher wrote.
        training.RequestedAt = now;
        if (lifecycle.Refusal(request) is { } refusal)
        {
            var rejected = new RetrainRejected(training.CorrelationId, refusal, now);
            if (context.ResponseAddress is not null) await context.RespondAsync(rejected);
            await context.Publish(rejected);
            await SettleAsync(context, new RetrainOutcomeView(RetrainSettled.Refused, refusal));
            return;
        }
        training.Training = lifecycle.Training(request);
        await context.TransitionToState(Queued);
        var started = await lifecycle.TryStartAsync(training, context);
        if (context.ResponseAddress is not null)
            await context.RespondAsync(new RetrainAccepted(training.CorrelationId, started ? "starting" : "queued", started ? 0 : lifecycle.Ahead(training)));
    }

    private async Task RepeatedAsync(BehaviorContext<RetrainState, RequestRetrain> context)
    {
        if (context.ResponseAddress is null) return;
        var training = context.Saga;
        if (training is { Outcome: RetrainSettled.Refused, Version: null })
            await context.RespondAsync(new RetrainRejected(training.CorrelationId, training.Reason!, training.SettledAt ?? Time(context).GetUtcNow()));
        else
            await context.RespondAsync(new RetrainAccepted(training.CorrelationId, training.CurrentState.ToLowerInvariant(), Lifecycle(context).Ahead(training)));
    }

    private void Heard<T>(BehaviorContext<RetrainState, T> context) where T : class => context.Saga.HeardAt = Time(context).GetUtcNow();

    private async Task CheckQueuedAsync(BehaviorContext<RetrainState, CheckRetrain> context)
    {
        if (context.Saga.DispatchedAt is null) await Lifecycle(context).TryStartAsync(context.Saga, context);
        else await CheckRunningAsync(context);
    }

    private async Task CheckRunningAsync(BehaviorContext<RetrainState, CheckRetrain> context)
    {
        var lifecycle = Lifecycle(context);
        if (!lifecycle.Silent(context.Saga)) return;
        await SettleAsync(context, new RetrainOutcomeView(RetrainSettled.Failed, lifecycle.SilenceReason));
        await lifecycle.NextAsync(context.Saga, context);
    }

    private async Task FailedAsync(BehaviorContext<RetrainState, TrainingFailed> context)
    {
        await SettleAsync(context, new RetrainOutcomeView(RetrainSettled.Failed, context.Message.Reason));
        await Lifecycle(context).NextAsync(context.Saga, context);
    }

    private async Task JudgedAsync(BehaviorContext<RetrainState, CandidateJudged> context)
    {
        var lifecycle = Lifecycle(context);
        if (context.Saga.RequestedAt == default) context.Saga.RequestedAt = Time(context).GetUtcNow();
        var outcome = await lifecycle.DecideAsync(context.Saga, context.Message, context);
        if (outcome.Outcome is null) await context.TransitionToState(AwaitingShadow);
        else await SettleAsync(context, outcome);
        await lifecycle.NextAsync(context.Saga, context);
    }

    private async Task ShadowedAsync(BehaviorContext<RetrainState, ShadowReported> context)
    {
        if (await Lifecycle(context).ShadowedAsync(context.Saga, context.Message, context) is { Outcome: not null } outcome) await SettleAsync(context, outcome);
    }

    private async Task ReviewAsync<T>(BehaviorContext<RetrainState, T> context) where T : class
    {
        if (Lifecycle(context).Settled(context.Saga) is { Outcome: not null } outcome) await SettleAsync(context, outcome);
    }

    // The one place a training ends: its state, and its RetrainSettled.
    private async Task SettleAsync(BehaviorContext<RetrainState> context, RetrainOutcomeView outcome)
    {
        var training = context.Saga;
        var now = Time(context).GetUtcNow();
        (training.Outcome, training.Reason, training.SettledAt) = (outcome.Outcome, outcome.Reason, now);
        await context.Publish(new RetrainSettled(training.CorrelationId, outcome.Outcome!, training.Version, outcome.Reason, now));
        await context.TransitionToState(outcome.Outcome switch
        {
            RetrainSettled.Promoted => Promoted,
            RetrainSettled.Superseded => Superseded,
            RetrainSettled.Failed => Failed,
            _ => Refused,
        });
    }
}
