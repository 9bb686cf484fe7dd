using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MnistEvents.Controller.Sagas;

public static class FileSagaRepositoryExtensions
{
    /// <summary>Keeps the saga's instances in <paramref name="store"/>'s directory (MassTransit ships no file-backed repository).</summary>
    public static ISagaRegistrationConfigurator<TSaga> FileRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> configurator,
        Func<IServiceProvider, FileSagaStore<TSaga>> store) where TSaga : class, ISaga =>
        configurator.Repository(r =>
        {
            r.TryAddSingleton(store);
            r.RegisterLoadSagaRepository<TSaga, FileSagaRepositoryContextFactory<TSaga>>();
            r.RegisterQuerySagaRepository<TSaga, FileSagaRepositoryContextFactory<TSaga>>();
            r.RegisterSagaRepository<TSaga, FileSagaStore<TSaga>, SagaConsumeContextFactory<FileSagaStore<TSaga>, TSaga>, FileSagaRepositoryContextFactory<TSaga>>();
        });
}
