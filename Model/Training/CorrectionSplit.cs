using MnistEvents.Model.Data;
using MnistEvents.Registry;

namespace MnistEvents.Model.Training;

/// <summary>
/// People's corrections as data, as far as they are trusted (<see cref="CorrectionTrust"/>): most to train on, a fifth
/// held back (chosen by prediction id, so a correction stays on the same side from one training to the next) for the
/// promotion gate to judge models on. <see cref="Judged"/> says which were refused and why, for the verdict, and
/// <see cref="File"/> which corrections file they came from, for the version's lineage.
/// </summary>
public sealed record CorrectionSplit(MnistDataset Train, MnistDataset HeldBack, CorrectionsJudged Judged)
{
    public static CorrectionSplit None { get; } = new(Empty(), Empty(), CorrectionsJudged.None);

    /// <summary>The corrections file as it was read, when there was one.</summary>
    public FileDigest? File { get; init; }

    public static CorrectionSplit From(CorrectionsJudged judged)
    {
        var heldBack = judged.Trusted.Where(IsHeldBack).ToArray();
        var train = judged.Trusted.Where(r => !IsHeldBack(r)).ToArray();
        return new CorrectionSplit(ToDataset(train), ToDataset(heldBack), judged);
    }

    public static CorrectionSplit Read(CorrectionsLog corrections)
    {
        var (judged, file) = corrections.Judge();
        return From(judged) with { File = file };
    }

    /// <summary>What the version's lineage says of them.</summary>
    public CorrectionsUsed Used() => new(Train.Count, HeldBack.Count, Judged.Refused.Count, Summary(), File);

    /// <summary>In words, for the gate's verdict: how many were trained on, held back and refused, and why.</summary>
    public string Summary() => Judged.Refused.Count == 0 && Judged.Trusted.Count == 0
        ? "no corrections"
        : $"{Judged.Summary()}; {Train.Count} trained on, {HeldBack.Count} held back to judge it";

    private static bool IsHeldBack(CorrectionRecord record) => record.PredictionId.ToByteArray()[15] % 5 == 0;

    private static MnistDataset ToDataset(IReadOnlyList<CorrectionRecord> records) =>
        new(records.SelectMany(r => r.Pixels).ToArray(), records.Select(r => (byte)r.Label).ToArray());

    private static MnistDataset Empty() => new([], []);
}
