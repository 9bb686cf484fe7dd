using MassTransit;
using MassTransit.Saga;

namespace MnistEvents.Controller.Sagas;

/// <summary>
/// MassTransit's way into a <see cref="FileSagaStore{TSaga}"/>: each message's saga pipe runs holding the store, for one
/// instance by its correlation id or, for an event correlated by a query (one activation ends every candidate still
/// waiting), for every instance the query matches.
/// </summary>
public sealed class FileSagaRepositoryContextFactory<TSaga>(FileSagaStore<TSaga> store, ISagaConsumeContextFactory<FileSagaStore<TSaga>, TSaga> factory) :
    ISagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class
    {
        using var _ = await store.EnterAsync(context.CancellationToken);
        var repositoryContext = new FileSagaRepositoryContext<TSaga, T>(store, factory, context);
        await next.Send(repositoryContext);
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next) where T : class
    {
        using var _ = await store.EnterAsync(context.CancellationToken);
        var repositoryContext = new FileSagaRepositoryContext<TSaga, T>(store, factory, context);
        var matching = store.All().Where(query.GetFilter()).Select(s => s.CorrelationId).ToList();
        await next.Send(new DefaultSagaRepositoryQueryContext<TSaga, T>(repositoryContext, matching));
    }

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default) where T : class =>
        asyncMethod(new FileSagaQueryContext<TSaga>(store, cancellationToken));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default) where T : class =>
        asyncMethod(new FileSagaQueryContext<TSaga>(store, cancellationToken));

    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "file");
        context.Add("directory", store.Directory);
    }
}
