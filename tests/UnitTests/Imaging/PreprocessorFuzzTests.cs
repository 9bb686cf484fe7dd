using System.Diagnostics;
using MnistEvents.Imaging;
using MnistEvents.TestSupport;
using Xunit.Abstractions;

namespace MnistEvents.UnitTests.Imaging;

/// <summary>
/// Thousands of seeded mutations of real digit files in every supported format through the preprocessor: each is read
/// or refused as <see cref="ImageRejectedException"/>, nothing else escapes, and no file makes the decoder hold more
/// than its budget. The limits are tightened so a mutated header cannot make one file cost seconds.
/// </summary>
public class PreprocessorFuzzTests(ITestOutputHelper output)
{
    private const int FilesPerFormat = 2000;
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    private static readonly DigitPreprocessor Fuzzed = new(new ImageLimits { MaxPixels = 4_000_000, MaxDecodeBytes = 48L * 1024 * 1024 });

    [Theory]
    [InlineData("png", 11)]
    [InlineData("jpeg", 12)]
    [InlineData("gif", 13)]
    [InlineData("bmp", 14)]
    [InlineData("webp", 15)]
    public async Task MutatedFilesAreReadOrRefusedNeverThrownThroughAndStayInBudget(string format, int seed)
    {
        var mutator = new ImageMutator(ImageMutator.MnistSeeds(format), seed);
        var outcomes = new Dictionary<string, int>();
        var escaped = new List<string>();
        var clock = Stopwatch.StartNew();
        long worstManaged = 0, worstDecode = 0;
        for (var i = 0; i < FilesPerFormat; i++)
        {
            var file = mutator.Next();
            var kept = Path.Combine(Path.GetTempPath(), $"hostile-{format}-{seed}-{i}.bin");
            if (await DecodeWithinAsync(Fuzzed, file) is not var (outcome, managed))
            {
                File.WriteAllBytes(kept, file);
                Assert.Fail($"file {i} was still decoding after {Hang.TotalSeconds} s; kept as {kept}");
                return;
            }
            worstManaged = Math.Max(worstManaged, managed);
            if (outcome is null)
            {
                File.WriteAllBytes(kept, file);
                escaped.Add(kept);
                continue;
            }
            outcomes[outcome.Value.Kind] = outcomes.GetValueOrDefault(outcome.Value.Kind) + 1;
            worstDecode = Math.Max(worstDecode, outcome.Value.DecodePeakBytes);
        }

        output.WriteLine($"{format}: {FilesPerFormat} files in {clock.Elapsed.TotalSeconds:0.0} s: "
            + string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}"))
            + $"; most managed memory for one file {worstManaged / 1048576.0:0.0} MB, most decoder memory {worstDecode / 1048576.0:0.0} MB");
        Assert.True(escaped.Count == 0, $"{escaped.Count} files escaped as other exceptions; kept for tests/Fixtures: {string.Join(", ", escaped.Take(5))}");
        Assert.True(worstManaged < 64L * 1024 * 1024, $"one file allocated {worstManaged:N0} managed bytes");
        Assert.True(outcomes.GetValueOrDefault("read") > 0, "some mutations still decode: the fuzzer reaches past the header checks");
    }

    /// <summary>
    /// <see cref="Outcome"/> and the managed bytes it allocated, on a thread of its own so that a file that never
    /// finishes decoding fails the test instead of hanging it: null when it was still decoding after <see cref="Hang"/>.
    /// </summary>
    internal static async Task<((string Kind, long DecodePeakBytes)? Outcome, long ManagedBytes)?> DecodeWithinAsync(DigitPreprocessor preprocessor, byte[] file)
    {
        var decoding = Task.Run(() => HostileImageTests.Measured(() => Outcome(preprocessor, file)));
        return await Task.WhenAny(decoding, Task.Delay(Hang)) == decoding ? await decoding : null;
    }

    /// <summary>What became of one file: read, or refused with a reason; null when anything else escaped (the error is written out).</summary>
    internal static (string Kind, long DecodePeakBytes)? Outcome(DigitPreprocessor preprocessor, byte[] file)
    {
        try
        {
            return ("read", preprocessor.Preprocess(file).DecodePeakBytes);
        }
        catch (ImageRejectedException e)
        {
            return (e.Reason.ToString(), 0);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"escaped: {e.GetType().Name}: {e.Message}");
            return null;
        }
    }
}
