using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using MnistEvents.Gateway;
using MnistEvents.Gateway.OpenInference;
using MnistEvents.KubernetesTests.Support;
using MnistEvents.Controller;
using MnistEvents.Controller.Drift;
using MnistEvents.Controller.Policy;
using MnistEvents.Launcher;
using MnistEvents.Model.Data;
using MnistEvents.Predictor;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.ServiceDefaults.Http;
using MnistEvents.ServiceDefaults.Retraining;
using MnistEvents.Trainer.Cli;
using MnistEvents.Trainer.Worker;
using MnistEvents.Web;

namespace MnistEvents.KubernetesTests;

/// <summary>Each container's env and args as the service itself reads them: its own option types, bound strictly and validated; its own argument parser.</summary>
public class ServiceSettingsTests
{
    // The configuration sections each of our containers reads, and the options type each binds to.
    private static readonly Dictionary<string, Dictionary<string, Type>> Sections = new()
    {
        ["gateway"] = new()
        {
            [BusOptions.Section] = typeof(BusOptions), [GatewayOptions.Section] = typeof(GatewayOptions), [ModelVolumeOptions.Section] = typeof(ModelVolumeOptions),
            [OipOptions.Section] = typeof(OipOptions), [ProxiesOptions.Section] = typeof(ProxiesOptions),
        },
        ["predictor"] = new() { [BusOptions.Section] = typeof(BusOptions), [PredictorOptions.Section] = typeof(PredictorOptions), [ModelVolumeOptions.Section] = typeof(ModelVolumeOptions) },
        ["trainer"] = new() { [BusOptions.Section] = typeof(BusOptions), [TrainerOptions.Section] = typeof(TrainerOptions) },
        ["web"] = new() { [WebOptions.Section] = typeof(WebOptions), [ProxiesOptions.Section] = typeof(ProxiesOptions) },
        ["launcher"] = new() { [BusOptions.Section] = typeof(BusOptions), [LauncherOptions.Section] = typeof(LauncherOptions) },
        ["controller"] = new()
        {
            [BusOptions.Section] = typeof(BusOptions), [ControllerOptions.Section] = typeof(ControllerOptions), [ModelVolumeOptions.Section] = typeof(ModelVolumeOptions),
            [DriftOptions.Section] = typeof(DriftOptions), [RetrainPolicyOptions.Section] = typeof(RetrainPolicyOptions),
        },
        ["retrainer"] = new() { [BusOptions.Section] = typeof(BusOptions) },
    };

    // Plain variables read by our code or by .NET itself, and which containers may carry them.
    private static readonly Dictionary<string, string[]> Plain = new()
    {
        [ReplicaIdentity.EnvironmentVariable] = ["gateway", "predictor", "trainer", "web", "launcher", "controller"],
        [MnistDirectory.EnvironmentVariable] = ["trainer"],
        ["ASPNETCORE_HTTP_PORTS"] = ["gateway", "predictor", "trainer", "web", "launcher", "controller"],
        ["DOTNET_gcServer"] = ["gateway", "predictor", "trainer", "web", "launcher", "controller"],
    };

    public static TheoryData<string> Targets => new(Kustomize.Targets);

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryVariableOfOurContainersBindsStrictlyToTheirOwnOptionsAndValidates(string target)
    {
        var manifests = Manifests.Of(target);
        foreach (var (workload, container) in OurContainers(manifests))
        {
            var env = ContainerEnvironment.Of(container, manifests);
            foreach (var name in env.Keys.Where(k => !k.Contains("__", StringComparison.Ordinal)))
                Assert.True(Plain.TryGetValue(name, out var readers) && readers.Contains(container.Name), $"{workload}/{container.Name}: nothing reads {name}");

            var configuration = ContainerEnvironment.Configuration(env.Where(e => e.Key.Contains("__", StringComparison.Ordinal)));
            foreach (var section in configuration.GetChildren())
            {
                Assert.True(Sections[container.Name].TryGetValue(section.Key, out var type), $"{workload}/{container.Name} sets {section.Key}:*, which it does not read");
                var options = Activator.CreateInstance(type!)!;
                section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
                Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
            }
        }
    }

    [Fact]
    public void TheTrainerJobsArgsParseAndItSavesWhereThePredictorsLoad()
    {
        var manifests = Manifests.Of("k8s");
        var job = manifests.Workloads().Single(w => w.Name == "trainer");
        var trainer = job.Pod.Containers.Single();

        var arguments = TrainerArgumentParser.Parse([.. trainer.Args]);

        Assert.True(arguments.SaveModel);
        Assert.Equal(1, arguments.Training.Epochs);
        var predictor = manifests.Workloads().Single(w => w.Name == "predictor").Pod.Containers.Single();
        Assert.Equal(arguments.SaveModelPath, Bind<ModelVolumeOptions>(predictor, manifests, ModelVolumeOptions.Section).ModelPath);
        Assert.Equal(Bind<TrainerOptions>(trainer, manifests, TrainerOptions.Section).DataDirectory, ContainerEnvironment.Of(trainer, manifests)[MnistDirectory.EnvironmentVariable]);
        AssertOnTheModelVolume(job, trainer, arguments.SaveModelPath, writable: true);
        AssertOnTheModelVolume(manifests.Workloads().Single(w => w.Name == "predictor"), predictor, arguments.SaveModelPath, writable: false);
        var gateway = manifests.Workloads().Single(w => w.Name == "gateway");
        var gatewayVolume = new ModelVolume(Bind<ModelVolumeOptions>(gateway.Pod.Containers.Single(), manifests, ModelVolumeOptions.Section).ModelPath);
        // The gateway lists and activates the trainer's versions, and keeps corrections and async results on the same volume.
        Assert.Equal(arguments.SaveModelPath, gatewayVolume.ModelPath);
        AssertOnTheModelVolume(gateway, gateway.Pod.Containers.Single(), gatewayVolume.CorrectionsPath, writable: true);
        AssertOnTheModelVolume(gateway, gateway.Pod.Containers.Single(), gatewayVolume.AsyncResultsDirectory, writable: true);
    }

    [Fact]
    public void TheBaseLeavesTheRetrainPolicyOffAndTheSelfRetrainOverlayTurnsItOnWithItsRulesAsWritten()
    {
        RetrainPolicyOptions Policy(string target)
        {
            var manifests = Manifests.Of(target);
            return Bind<RetrainPolicyOptions>(manifests.Workloads().Single(w => w.Name == "controller").Pod.Containers.Single(), manifests, RetrainPolicyOptions.Section);
        }

        var on = Policy("k8s/compositions/self-retrain");

        Assert.False(Policy("k8s").Enabled);
        Assert.True(on.Enabled);
        Assert.Equal((250, 0.25, 10, 360, 3), (on.TrustedCorrections, on.DriftAbove, on.DriftMinutes, on.IntervalMinutes, on.Epochs));
        Validator.ValidateObject(on, new ValidationContext(on), validateAllProperties: true);
    }

    [Fact]
    public void TheWebUiForwardsToTheGatewayService()
    {
        var manifests = Manifests.Of("k8s");
        var web = manifests.Workloads().Single(w => w.Name == "web").Pod.Containers.Single();
        var gateway = manifests.Single<V1Service>("gateway");

        Assert.Equal($"http://{gateway.Metadata.Name}:{gateway.Spec.Ports.Single(p => p.Name == "http").Port}", Bind<WebOptions>(web, manifests, WebOptions.Section).GatewayUrl);
    }

    [Fact]
    public void TheGatewayServicesGrpcPortReachesThePortItsSettingsOpenForGrpc()
    {
        var manifests = Manifests.Of("k8s");
        var gateway = manifests.Workloads().Single(w => w.Name == "gateway").Pod.Containers.Single();
        var service = manifests.Single<V1Service>("gateway").Spec.Ports.Single(p => p.Name == "grpc");

        var opened = Bind<OipOptions>(gateway, manifests, OipOptions.Section).GrpcPort;

        Assert.Equal("grpc", service.TargetPort.Value);
        Assert.Equal(opened, gateway.Ports.Single(p => p.Name == "grpc").ContainerPort);
        Assert.Equal("kubernetes.io/h2c", service.AppProtocol);
    }

    [Fact]
    public void EachServiceUsesItsOwnBrokerUserWhichTheBrokerDefinitionsCreate()
    {
        var manifests = Manifests.Of("k8s");
        var definitions = JsonDocument.Parse(manifests.Generated("rabbitmq-config").Data["definitions.template.json"]).RootElement;
        var users = definitions.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("name").GetString()!).ToHashSet();
        var broker = manifests.Workloads().Single(w => w.Name == "rabbitmq");
        var rendered = broker.Pod.InitContainers.Single().Env.Where(e => e.ValueFrom.SecretKeyRef is not null).Select(e => e.ValueFrom.SecretKeyRef.Key).ToHashSet();

        var used = new HashSet<string>();
        foreach (var (workload, container) in OurContainers(manifests).Where(c => c.Container.Name != "web"))
        {
            var user = container.Env.Single(e => e.Name == "Bus__RabbitMQ__Username").Value;
            var password = container.Env.Single(e => e.Name == "Bus__RabbitMQ__Password").ValueFrom.SecretKeyRef;
            Assert.Contains(user, users);
            Assert.Equal($"{user}-password", password.Key);
            Assert.Contains(password.Key, rendered);
            used.Add(user);
        }
        Assert.Equal(["controller", "gateway", "launcher", "predictor", "trainer"], used.Order());
        Assert.All(users, u => Assert.Contains($"{u}-password", rendered));
    }

    [Fact]
    public void TheNightlyRetrainAsksAsTheRetrainerAndFollowsTheTrainingWithinItsJobsDeadline()
    {
        var manifests = Manifests.Of("k8s/compositions/nightly");
        var cron = manifests.Single<V1CronJob>("nightly-retrain");
        var container = cron.Spec.JobTemplate.Spec.Template.Spec.Containers.Single();

        Assert.Equal("request-retrain", container.Args[0]);
        var arguments = RequestRetrainArgumentParser.Parse([.. container.Args.Skip(1)]);
        var request = arguments.Request;
        Assert.Null(RetrainRules.Refusal(request.Epochs, request.BatchSize, request.LearningRate, request.Limit, request.ShadowPredictions));
        Assert.True(arguments.Wait);
        Assert.True(arguments.Timeout < TimeSpan.FromSeconds(cron.Spec.JobTemplate.Spec.ActiveDeadlineSeconds!.Value), "the Job is stopped before the command gives up");
        Assert.Equal("Forbid", cron.Spec.ConcurrencyPolicy);
        Assert.Equal(0, cron.Spec.JobTemplate.Spec.BackoffLimit);
        Assert.Equal("retrainer", container.Env.Single(e => e.Name == "Bus__RabbitMQ__Username").Value);
        Assert.Equal("retrainer-password", container.Env.Single(e => e.Name == "Bus__RabbitMQ__Password").ValueFrom.SecretKeyRef.Key);
        Assert.Equal(BusTransport.RabbitMQ, Bind<BusOptions>(container, manifests, BusOptions.Section).Transport);
    }

    private static IEnumerable<(Workload Workload, V1Container Container)> OurContainers(Manifests manifests) =>
        manifests.Workloads().SelectMany(w => w.Pod.Containers.Where(c => Sections.ContainsKey(c.Name)).Select(c => (w, c)));

    private static T Bind<T>(V1Container container, Manifests manifests, string section) where T : new()
    {
        var configuration = ContainerEnvironment.Configuration(ContainerEnvironment.Of(container, manifests));
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }

    private static void AssertOnTheModelVolume(Workload workload, V1Container container, string path, bool writable)
    {
        var claim = workload.Pod.Volumes.Single(v => v.PersistentVolumeClaim?.ClaimName == "mnist-models");
        var mount = container.VolumeMounts.SingleOrDefault(m => m.Name == claim.Name);
        Assert.True(mount is not null && path.StartsWith(mount.MountPath + "/", StringComparison.Ordinal), $"{workload}: {path} is not on the model volume");
        Assert.Equal(!writable, mount!.ReadOnlyProperty == true);
    }
}
