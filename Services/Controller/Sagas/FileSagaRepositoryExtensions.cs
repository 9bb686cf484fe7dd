using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;

namespace MnistEvents.Controller.Sagas;

public static class FileSagaRepositoryExtensions
{
    /// <summary>
    /// Keeps the saga's instances in the <see cref="FileSagaStore{TSaga}"/> registered beside it (MassTransit ships no
    /// file-backed repository).
    /// </summary>
    public static ISagaRegistrationConfigurator<TSaga> FileRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga =>
        configurator.Repository(r => r.AddFileSagaRepository<TSaga>());

    /// <summary>
    /// The repository's services: also for a test harness that replaced the bus after it was added, and with it every
    /// saga repository, with in-memory ones (which would lose the state a restart must find).
    /// </summary>
    public static IServiceCollection AddFileSagaRepository<TSaga>(this IServiceCollection services) where TSaga : class, ISaga
    {
        services.RegisterLoadSagaRepository<TSaga, FileSagaRepositoryContextFactory<TSaga>>();
        services.RegisterQuerySagaRepository<TSaga, FileSagaRepositoryContextFactory<TSaga>>();
        services.RegisterSagaRepository<TSaga, FileSagaStore<TSaga>, SagaConsumeContextFactory<FileSagaStore<TSaga>, TSaga>, FileSagaRepositoryContextFactory<TSaga>>();
        return services;
    }
}
