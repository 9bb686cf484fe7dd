using System.Globalization;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Trainer.Cli;

/// <summary>
/// Walks a command line's flags one at a time, as <c>--name value</c> or <c>--name=value</c>, with the typed values the
/// trainer's commands take: each refusal is a <see cref="UsageException"/> naming the flag and what it expects.
/// </summary>
public sealed class FlagReader(IReadOnlyList<string> args)
{
    private int next;
    private string? inline;
    private string written = "";

    /// <summary>The current flag's name, without any <c>=value</c>.</summary>
    public string Flag { get; private set; } = "";

    public bool MoveNext()
    {
        if (next >= args.Count) return false;
        written = args[next++];
        var eq = written.IndexOf('=');
        var named = written.StartsWith("--", StringComparison.Ordinal) && eq > 0;
        inline = named ? written[(eq + 1)..] : null;
        Flag = named ? written[..eq] : written;
        return true;
    }

    public string Value()
    {
        if (inline is not null) return inline;
        if (next >= args.Count || args[next].StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"{Flag} needs a value");
        return args[next++];
    }

    public void NoValue()
    {
        if (inline is not null) throw new UsageException($"{Flag} takes no value");
    }

    public UsageException Unknown() => new($"unknown flag '{written}' (see --help)");

    public long Integer() => Read(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (long?)null, "a whole number");

    public int Positive() =>
        Read(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : (int?)null, "a whole number above 0");

    public long ShadowPredictions() =>
        Read(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= RetrainRules.MaximumShadowPredictions ? n : (long?)null,
            $"a whole number from 0 to {RetrainRules.MaximumShadowPredictions}");

    public double PositiveDouble() =>
        Read(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && double.IsFinite(d) ? d : (double?)null, "a number above 0");

    public double NonNegativeDouble() =>
        Read(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && double.IsFinite(d) ? d : (double?)null,
            "a number of at least 0");

    public string NonEmpty() => Value() is var value && !string.IsNullOrWhiteSpace(value) ? value : throw new UsageException($"{Flag} needs a non-empty value");

    public Guid Guid() => Read(v => System.Guid.TryParse(v, out var id) ? id : (Guid?)null, "a GUID");

    private T Read<T>(Func<string, T?> parse, string expected) where T : struct
    {
        var value = Value();
        return parse(value) ?? throw new UsageException($"{Flag} expects {expected}, not '{value}'");
    }
}
