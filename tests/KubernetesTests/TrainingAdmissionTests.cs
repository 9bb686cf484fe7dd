using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.KubernetesTests.Support;
using MnistEvents.Launcher;
using MnistEvents.TestSupport;

namespace MnistEvents.KubernetesTests;

/// <summary>
/// The launcher may create Jobs, and a Job could mount any Secret: the rendered ValidatingAdmissionPolicy admits from
/// the launcher only a Job whose pod is the trainer template's. Its CEL is evaluated by a CEL implementation no one
/// here wrote (Cel/evaluate.mjs, @marcbachmann/cel-js) against the Job the launcher itself builds from the rendered
/// template, and against Jobs that differ from it as a compromised launcher would make them.
/// </summary>
public class TrainingAdmissionTests
{
    private const string Launcher = "system:serviceaccount:mnist:launcher";

    public static TheoryData<string> Targets => new(Kustomize.Targets);

    [Theory]
    [MemberData(nameof(Targets))]
    public void TrainingsRunAsTheirOwnTokenlessAccountAndThePolicyIsBoundToTheTemplate(string target)
    {
        var manifests = Manifests.Of(target);
        var template = manifests.Single<V1CronJob>("trainer-template");
        var account = manifests.Single<V1ServiceAccount>("trainer");
        var policy = manifests.Single<V1ValidatingAdmissionPolicy>("mnistevents-training-jobs");
        var binding = manifests.Single<V1ValidatingAdmissionPolicyBinding>("mnistevents-training-jobs");

        Assert.Equal("trainer", template.Spec.JobTemplate.Spec.Template.Spec.ServiceAccountName);
        Assert.False(account.AutomountServiceAccountToken);
        Assert.DoesNotContain(manifests.All<V1RoleBinding>(), b => b.Subjects.Any(s => s.Name == "trainer"));
        Assert.Equal(("batch/v1", "CronJob"), (policy.Spec.ParamKind.ApiVersion, policy.Spec.ParamKind.Kind));
        Assert.Equal("Fail", policy.Spec.FailurePolicy);
        Assert.Equal(policy.Metadata.Name, binding.Spec.PolicyName);
        Assert.Equal((template.Metadata.Name, template.Metadata.NamespaceProperty, "Deny"),
            (binding.Spec.ParamRef.Name, binding.Spec.ParamRef.NamespaceProperty, binding.Spec.ParamRef.ParameterNotFoundAction));
        Assert.Equal(["Deny"], binding.Spec.ValidationActions);
        Assert.Contains(Launcher, policy.Spec.MatchConditions.Single().Expression);
    }

    [Fact]
    public void TheJobTheLauncherBuildsIsAdmitted()
    {
        var (template, job) = LaunchersJob();

        Assert.Equal(new Verdict(true, []), Admit(job, template, Launcher));
    }

    public static TheoryData<string, string> Tampering => new()
    {
        { "another image", "a training runs the trainer template's containers and images, and no others" },
        { "another container", "a training runs the trainer template's containers and images, and no others" },
        { "the launcher's account", "a training runs as the trainer template's service account" },
        { "the admin password in its env", "a training's environment, and so every Secret it names, is the trainer template's" },
        { "the broker's Secret as envFrom", "a training's environment, and so every Secret it names, is the trainer template's" },
        { "a Secret volume", "a training mounts the trainer template's volumes and runs its init containers, and no others" },
        { "an init container", "a training mounts the trainer template's volumes and runs its init containers, and no others" },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void AJobFromTheLauncherThatIsNotTheTemplatesPodIsRefused(string tampering, string message)
    {
        var (template, job) = LaunchersJob();
        var pod = job.Spec.Template.Spec;
        var trainer = pod.Containers.Single();
        switch (tampering)
        {
            case "another image": trainer.Image = "attacker/miner:latest"; break;
            case "another container": pod.Containers.Add(new V1Container { Name = "sidecar", Image = trainer.Image }); break;
            case "the launcher's account": pod.ServiceAccountName = "launcher"; break;
            case "the admin password in its env":
                trainer.Env.Add(new V1EnvVar
                {
                    Name = "ADMIN",
                    ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "broker-credentials", Key = "admin-password" } },
                });
                break;
            case "the broker's Secret as envFrom": trainer.EnvFrom.Add(new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "broker-credentials" } }); break;
            case "a Secret volume": pod.Volumes.Add(new V1Volume { Name = "loot", Secret = new V1SecretVolumeSource { SecretName = "gateway-secrets" } }); break;
            case "an init container": pod.InitContainers = [new V1Container { Name = "first", Image = trainer.Image }]; break;
        }

        var verdict = Admit(job, template, Launcher);

        Assert.True(verdict.Applies);
        Assert.Contains(message, verdict.Refusals);
    }

    [Fact]
    public void JobsMadeByAnyoneButTheLauncherAreLeftToTheirOwnRights()
    {
        var (template, job) = LaunchersJob();
        job.Spec.Template.Spec.Containers.Single().Image = "someone/else:1";

        Assert.Equal(new Verdict(false, []), Admit(job, template, "kubernetes-admin"));
    }

    private static (V1CronJob Template, V1Job Job) LaunchersJob()
    {
        var template = Manifests.Of("k8s").Single<V1CronJob>("trainer-template");
        var jobs = new TrainingJobs(null!, Options.Create(new LauncherOptions()), TimeProvider.System);
        var job = jobs.Build(template, new StartTraining(Guid.NewGuid(), 2, 64, 1.0, 6000, "the test", DateTimeOffset.UtcNow, false, null));
        return (template, job);
    }

    private sealed record Verdict(bool Applies, string[] Refusals)
    {
        public bool Equals(Verdict? other) => other is not null && Applies == other.Applies && Refusals.SequenceEqual(other.Refusals);

        public override int GetHashCode() => Applies.GetHashCode();
    }

    private static Verdict Admit(V1Job job, V1CronJob template, string user)
    {
        var policy = Manifests.Of("k8s").Single<V1ValidatingAdmissionPolicy>("mnistevents-training-jobs");
        var input = new JsonObject
        {
            ["policy"] = JsonNode.Parse(KubernetesJson.Serialize(policy)),
            ["object"] = JsonNode.Parse(KubernetesJson.Serialize(job)),
            ["params"] = JsonNode.Parse(KubernetesJson.Serialize(template)),
            ["request"] = new JsonObject { ["userInfo"] = new JsonObject { ["username"] = user } },
        };
        var start = new ProcessStartInfo("node", Path.Combine(Repository.Root, "tests", "KubernetesTests", "Cel", "evaluate.mjs"))
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        node.StandardInput.Write(input.ToJsonString());
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEnd();
        var error = node.StandardError.ReadToEnd();
        node.WaitForExit();
        Assert.True(node.ExitCode == 0, $"the CEL evaluator failed: {error}");
        var verdict = JsonDocument.Parse(output).RootElement;
        return new Verdict(verdict.GetProperty("applies").GetBoolean(), [.. verdict.GetProperty("refusals").EnumerateArray().Select(r => r.GetString()!)]);
    }
}
