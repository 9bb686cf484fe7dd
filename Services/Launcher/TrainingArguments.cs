using System.Globalization;
using MnistEvents.Contracts;

namespace MnistEvents.Launcher;

/// <summary>The template's trainer arguments with a request's settings written in: what the request names replaces the template's value.</summary>
public static class TrainingArguments
{
    public static List<string> Apply(IEnumerable<string> template, StartTraining request)
    {
        var args = template.ToList();
        Set(args, "--epochs", request.Epochs?.ToString(CultureInfo.InvariantCulture));
        Set(args, "--batch-size", request.BatchSize?.ToString(CultureInfo.InvariantCulture));
        Set(args, "--lr", request.LearningRate?.ToString("R", CultureInfo.InvariantCulture));
        Set(args, "--limit", request.Limit?.ToString(CultureInfo.InvariantCulture));
        Set(args, "--shadow-predictions", request.ShadowPredictions?.ToString(CultureInfo.InvariantCulture));
        Set(args, "--training-id", request.TrainingId.ToString());
        if (request.PromoteRegardless && !args.Contains("--promote-regardless")) args.Add("--promote-regardless");
        // Inline, so that a requester's words beginning with "--" are still its value and never a flag.
        args.RemoveAll(a => a.StartsWith("--requested-by=", StringComparison.Ordinal));
        args.Add($"--requested-by={request.RequestedBy}");
        return args;
    }

    private static void Set(List<string> args, string flag, string? value)
    {
        if (value is null) return;
        var inline = args.FindIndex(a => a.StartsWith(flag + "=", StringComparison.Ordinal));
        if (inline >= 0)
        {
            args[inline] = $"{flag}={value}";
            return;
        }
        var at = args.IndexOf(flag);
        if (at >= 0 && at + 1 < args.Count) args[at + 1] = value;
        else args.AddRange([flag, value]);
    }
}
