using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MnistEvents.ServiceDefaults.Bus;

/// <summary>
/// One bus per process, whichever services it hosts: each service's <c>AddXxx()</c> contributes its consumers and
/// request clients with <see cref="AddBusRegistration"/>, then Program.cs calls <see cref="AddBus"/> once, so the
/// all-in-one host composes the same registrations as the separate processes. MassTransit takes its registrations
/// when the bus is added, so one contributed after that would be lost: it throws instead, naming the order.
/// </summary>
public static class BusExtensions
{
    private static readonly object RegistrationsKey = new();
    private static readonly object AddedKey = new();

    public static IHostApplicationBuilder AddBusRegistration(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> registration)
    {
        if (builder.Properties.ContainsKey(AddedKey))
            throw new InvalidOperationException("A bus registration was contributed after AddBus(), which has already taken them all: call AddBus() after every service's AddXxx().");
        Registrations(builder).Add(registration);
        return builder;
    }

    /// <summary>Registers MassTransit on the transport named by <c>Bus:Transport</c> with every contributed registration.</summary>
    public static IHostApplicationBuilder AddBus(this IHostApplicationBuilder builder)
    {
        if (!builder.Properties.TryAdd(AddedKey, true)) throw new InvalidOperationException("AddBus() was called twice: one bus per process.");
        var options = builder.Configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        builder.Services.AddMassTransit(x =>
        {
            builder.ApplyBusRegistrations(x);
            // MassTransit otherwise reports each bus, its host and endpoints to usage-tracking.masstransit.io at start:
            // nothing here calls out of the deployment (a cluster without egress logged a warning on every start).
            x.DisableUsageTelemetry();

            if (options.Transport == BusTransport.RabbitMQ)
            {
                var rabbit = options.RabbitMQ;
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                    {
                        h.Username(rabbit.Username);
                        h.Password(rabbit.Password);
                    });
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        return builder;
    }

    /// <summary>Applies every contributed registration to <paramref name="x"/>: for <c>AddMassTransitTestHarness</c> in tests.</summary>
    public static void ApplyBusRegistrations(this IHostApplicationBuilder builder, IBusRegistrationConfigurator x)
    {
        x.SetKebabCaseEndpointNameFormatter();
        foreach (var registration in Registrations(builder)) registration(x);
    }

    private static List<Action<IBusRegistrationConfigurator>> Registrations(IHostApplicationBuilder builder)
    {
        if (!builder.Properties.TryGetValue(RegistrationsKey, out var list))
            builder.Properties[RegistrationsKey] = list = new List<Action<IBusRegistrationConfigurator>>();
        return (List<Action<IBusRegistrationConfigurator>>)list;
    }
}
