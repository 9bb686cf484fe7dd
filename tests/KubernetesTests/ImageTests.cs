using System.Text.RegularExpressions;
using System.Xml.Linq;
using MnistEvents.KubernetesTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.KubernetesTests;

/// <summary>
/// The images cannot be built here (no Docker engine), so what can be checked without one is: each Dockerfile copies
/// every project its service builds from, the light services carry no libtorch, and k8s/ names the tag the script builds.
/// </summary>
public partial class ImageTests
{
    public static TheoryData<string> Services => new(["Gateway", "Predictor", "Trainer", "Web", "Launcher", "Controller"]);

    [Theory]
    [MemberData(nameof(Services))]
    public void TheDockerfileCopiesEveryProjectItsServiceBuildsFrom(string service)
    {
        var copied = CopiedFolders(service);

        foreach (var project in ProjectClosure(Path.Combine(Repository.Root, "Services", service, $"{service}.csproj")))
        {
            var folder = Path.GetRelativePath(Repository.Root, Path.GetDirectoryName(project)!).Replace('\\', '/');
            Assert.True(copied.Contains(folder), $"Services/{service}/Dockerfile does not copy {folder}/, which {service} builds from");
        }
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "build" })
            Assert.Contains(file, copied);
    }

    [Theory]
    [InlineData("Gateway")]
    [InlineData("Web")]
    [InlineData("Launcher")]
    [InlineData("Controller")]
    public void OnlyThePredictorAndTrainerImagesCarryLibtorch(string service)
    {
        Assert.DoesNotContain("Model", CopiedFolders(service));
        Assert.DoesNotContain(ProjectClosure(Path.Combine(Repository.Root, "Services", service, $"{service}.csproj")),
            p => p.EndsWith("Model.csproj", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void TheImageRunsAsTheNonRootUserThePodsExpect(string service)
    {
        var dockerfile = File.ReadAllLines(Path.Combine(Repository.Root, "Services", service, "Dockerfile"));

        // The .NET images' `app` user is UID 1654, which every pod's securityContext names.
        Assert.Equal("USER app", dockerfile.Last(l => l.StartsWith("USER ", StringComparison.Ordinal)));
        Assert.All(Manifests.Of("k8s").Workloads().Where(w => w.Name != "rabbitmq"), w => Assert.Equal(1654, w.Pod.SecurityContext.RunAsUser));
    }

    [Fact]
    public void KubernetesNamesTheImagesAndTagTheScriptBuilds()
    {
        var script = File.ReadAllText(Path.Combine(Repository.Root, "scripts", "images.sh"));
        var tag = TagLine().Match(script).Groups[1].Value;
        var services = ServicesLine().Match(script).Groups[1].Value.Split(' ');

        var ours = Manifests.Of("k8s").Workloads().SelectMany(w => w.AllContainers).Select(c => c.Image)
            .Where(i => i.StartsWith("mnistevents/", StringComparison.Ordinal)).Distinct().Order().ToList();

        Assert.Equal(services.Select(s => $"mnistevents/{s}:{tag}").Order(), ours);
    }

    private static HashSet<string> CopiedFolders(string service) =>
        File.ReadLines(Path.Combine(Repository.Root, "Services", service, "Dockerfile"))
            .Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(l => l[5..].Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            .Select(p => p.TrimEnd('/'))
            .ToHashSet();

    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next)) continue;
            foreach (var reference in XDocument.Load(next).Descendants("ProjectReference"))
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next)!, reference.Attribute("Include")!.Value)));
        }
        return seen;
    }

    [GeneratedRegex(@"(?m)^tag=(\S+)$")]
    private static partial Regex TagLine();

    [GeneratedRegex(@"(?m)^services=\(([^)]*)\)$")]
    private static partial Regex ServicesLine();
}
