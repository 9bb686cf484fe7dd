using System.Text.RegularExpressions;
using MnistEvents.TestSupport;

namespace MnistEvents.UnitTests.Lifecycle;

/// <summary>One owner for the model lifecycle: only the controller moves the active pointer or changes the shadow plan.</summary>
public partial class LifecycleOwnerTests
{
    [Fact]
    public void OnlyTheControllerCallsTheRegistrysActivationAndShadowPlanOperations()
    {
        // bench/ stands in for the controller on purpose: it times a replica's swap and a shadow's cost with no controller running.
        string[] excluded = ["tests", "bench", "Registry", Path.Combine("Services", "Controller")];
        var callers = Directory.EnumerateFiles(Repository.Root, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.Root, f))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Intersect(["bin", "obj"]).Any())
            .Where(f => !excluded.Any(e => f.StartsWith(e + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .Where(f => LifecycleCall().IsMatch(File.ReadAllText(Path.Combine(Repository.Root, f))))
            .ToList();
        var controller = Directory.EnumerateFiles(Path.Combine(Repository.Root, "Services", "Controller"), "*.cs", SearchOption.AllDirectories)
            .Count(f => LifecycleCall().IsMatch(File.ReadAllText(f)));

        Assert.Empty(callers);
        // The pattern finds the calls where they are: a pattern that matched nothing anywhere would pass the line above too.
        Assert.True(controller >= 3, $"the controller's own calls were not found ({controller} files)");
    }

    [GeneratedRegex(@"\.(Activate|ReplaceShadow|SettleShadow)\s*\(")]
    private static partial Regex LifecycleCall();
}
