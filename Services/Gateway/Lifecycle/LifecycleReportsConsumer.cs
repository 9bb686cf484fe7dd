using MassTransit;
using MnistEvents.Contracts;

namespace MnistEvents.Gateway.Lifecycle;

/// <summary>Keeps the controller's latest drift and retrain policy reports for <c>GET /models</c> and the <c>models</c> push.</summary>
public sealed class LifecycleReportsConsumer(LifecycleReports reports) : IConsumer<DriftScored>, IConsumer<RetrainPolicyChecked>
{
    public Task Consume(ConsumeContext<DriftScored> context)
    {
        reports.Reported(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<RetrainPolicyChecked> context)
    {
        reports.Reported(context.Message);
        return Task.CompletedTask;
    }
}
