using MnistEvents.Model.Networks;
using static TorchSharp.torch;

namespace MnistEvents.UnitTests.Build;

/// <summary>The build's libstdc++ fix (build/TorchSharp.targets) as it landed in this test project's own output.</summary>
public class TorchSharpLoadTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private static readonly string OutputLibrary = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");

    [Theory]
    [InlineData(Architecture.Cnn)]
    [InlineData(Architecture.Mlp)]
    public void ForwardPassRunsInTheBuiltOutput(Architecture architecture)
    {
        using var network = NetworkFactory.Create(architecture);
        network.eval();
        using var input = randn(3, 1, 28, 28);
        using var output = network.call(input);

        Assert.Equal([3L, 10L], output.shape);
        using var sums = output.exp().sum(1);
        Assert.All(sums.data<float>().ToArray(), s => Assert.Equal(1f, s, 3));
    }

    [Fact]
    public void OutputLibraryNeedsTheVersionWeaklyExactlyWhenTheSystemLacksIt()
    {
        var system = ElfVersionNeeds.FindSystemLibStdCxx();
        Assert.NotNull(system);
        var flags = ElfVersionNeeds.ReadFlags(OutputLibrary, Version);
        Assert.NotNull(flags);

        var weak = (flags.Value & ElfVersionNeeds.VerFlgWeak) != 0;
        Assert.Equal(!ElfVersionNeeds.DefinesVersion(system, Version), weak);
    }

    [Fact]
    public void MarkingWeakIsIdempotentAndNeverWritesThroughAHardLink()
    {
        var dir = MnistEvents.TestSupport.TestData.TempDirectory();
        var original = Path.Combine(dir, "original.so");
        var linked = Path.Combine(dir, "linked.so");
        File.Copy(OutputLibrary, original);
        ClearWeakFlag(original);
        var pristine = File.ReadAllBytes(original);
        Assert.Equal(0, link(original, linked));

        Assert.Equal(WeakenResult.Patched, ElfVersionNeeds.MarkWeak(linked, Version));
        var once = File.ReadAllBytes(linked);
        Assert.Equal(WeakenResult.AlreadyWeak, ElfVersionNeeds.MarkWeak(linked, Version));

        Assert.Equal(once, File.ReadAllBytes(linked));
        Assert.Equal(pristine, File.ReadAllBytes(original));
        Assert.Equal(1, Differences(pristine, once));
        Assert.Equal(ElfVersionNeeds.VerFlgWeak, ElfVersionNeeds.ReadFlags(linked, Version)!.Value & ElfVersionNeeds.VerFlgWeak);
        Assert.Equal(WeakenResult.NotNeeded, ElfVersionNeeds.MarkWeak(linked, "GLIBCXX_9.9.99"));
    }

    // Restores the shipped state (flags 0) in a copy, so the patch can be applied from scratch.
    private static void ClearWeakFlag(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var offset = ElfVersionNeeds.FlagsOffset(bytes, Version);
        var flags = BitConverter.ToUInt16(bytes, offset);
        BitConverter.GetBytes((ushort)(flags & ~ElfVersionNeeds.VerFlgWeak)).CopyTo(bytes, offset);
        File.WriteAllBytes(path, bytes);
    }

    private static int Differences(byte[] a, byte[] b) => a.Where((x, i) => x != b[i]).Count();

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int link(string existing, string newPath);
}
