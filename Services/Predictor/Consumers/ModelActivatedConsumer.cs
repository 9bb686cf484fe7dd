using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Predictor.Serving;

namespace MnistEvents.Predictor.Consumers;

/// <summary>
/// Hot reload: an announced model is read from this replica's own model file, never from a path in the message, and
/// served only if it is the announced one (sha256) and passes verification; otherwise it is refused and the old one
/// keeps serving.
/// </summary>
public sealed class ModelActivatedConsumer(ModelSwapper swapper) : IConsumer<ModelActivated>
{
    public Task Consume(ConsumeContext<ModelActivated> context) =>
        swapper.TryServeAsync(context.Message.Sha256, context.Message.Version, context, context.CancellationToken);
}
