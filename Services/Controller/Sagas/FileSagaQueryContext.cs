using MassTransit;
using MassTransit.Middleware;
using MassTransit.Saga;

namespace MnistEvents.Controller.Sagas;

/// <summary>Reading a <see cref="FileSagaStore{TSaga}"/> outside any message: by id, or every instance a query matches.</summary>
public sealed class FileSagaQueryContext<TSaga>(FileSagaStore<TSaga> store, CancellationToken cancellationToken) :
    BasePipeContext(cancellationToken),
    QuerySagaRepositoryContext<TSaga>,
    LoadSagaRepositoryContext<TSaga>
    where TSaga : class, ISaga
{
    public Task<TSaga> Load(Guid correlationId) => Task.FromResult(store.Find(correlationId)!);

    public Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken) =>
        Task.FromResult<SagaRepositoryQueryContext<TSaga>>(
            new DefaultSagaRepositoryQueryContext<TSaga>(this, store.All().Where(query.GetFilter()).Select(s => s.CorrelationId).ToList()));
}
