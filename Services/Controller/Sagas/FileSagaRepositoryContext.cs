using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;

namespace MnistEvents.Controller.Sagas;

/// <summary>One message's view of the <see cref="FileSagaStore{TSaga}"/>, which the message holds for its whole pipe.</summary>
public sealed class FileSagaRepositoryContext<TSaga, TMessage> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    private readonly FileSagaStore<TSaga> store;
    private readonly ISagaConsumeContextFactory<FileSagaStore<TSaga>, TSaga> factory;
    private readonly ConsumeContext<TMessage> consumeContext;

    public FileSagaRepositoryContext(FileSagaStore<TSaga> store, ISagaConsumeContextFactory<FileSagaStore<TSaga>, TSaga> factory,
        ConsumeContext<TMessage> consumeContext)
        : base(consumeContext)
    {
        this.store = store;
        this.factory = factory;
        this.consumeContext = consumeContext;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(store, consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        if (store.Find(instance.CorrelationId) is not null) return default!;
        store.Write(instance);
        return await factory.CreateSagaConsumeContext(store, consumeContext, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId) =>
        store.Find(correlationId) is { } instance
            ? await factory.CreateSagaConsumeContext(store, consumeContext, instance, SagaConsumeContextMode.Load)
            : default!;

    public Task Save(SagaConsumeContext<TSaga> context) => Write(context);

    public Task Update(SagaConsumeContext<TSaga> context) => Write(context);

    public Task Delete(SagaConsumeContext<TSaga> context)
    {
        store.Delete(context.Saga.CorrelationId);
        return Task.CompletedTask;
    }

    // Added but never saved (the pipe failed, or the instance finished at once): nothing was written.
    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    // Loaded copies are the pipe's own: what it changed is dropped with them.
    public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(store, consumeContext, instance, mode);

    private Task Write(SagaConsumeContext<TSaga> context)
    {
        store.Write(context.Saga);
        return Task.CompletedTask;
    }
}
