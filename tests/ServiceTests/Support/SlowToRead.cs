using MassTransit;

namespace MnistEvents.ServiceTests.Support;

/// <summary>Holds every <typeparamref name="T"/> a moment before it is consumed: a message slower than the next on its way to its consumer.</summary>
public sealed class SlowToRead<T>(TimeSpan delay) : IConsumeObserver where T : class
{
    public Task PreConsume<TMessage>(ConsumeContext<TMessage> context) where TMessage : class =>
        context.Message is T ? Task.Delay(delay) : Task.CompletedTask;

    public Task PostConsume<TMessage>(ConsumeContext<TMessage> context) where TMessage : class => Task.CompletedTask;

    public Task ConsumeFault<TMessage>(ConsumeContext<TMessage> context, Exception exception) where TMessage : class => Task.CompletedTask;
}
