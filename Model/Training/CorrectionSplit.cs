using MnistEvents.Model.Data;
using MnistEvents.Registry;

namespace MnistEvents.Model.Training;

/// <summary>
/// People's corrections as data: most to train on, a fifth held back (chosen by prediction id, so a correction stays
/// on the same side from one training to the next) for the promotion gate to judge models on.
/// </summary>
public sealed record CorrectionSplit(MnistDataset Train, MnistDataset HeldBack)
{
    public static CorrectionSplit None { get; } = new(Empty(), Empty());

    public static CorrectionSplit From(IReadOnlyList<CorrectionRecord> records)
    {
        var heldBack = records.Where(IsHeldBack).ToArray();
        var train = records.Where(r => !IsHeldBack(r)).ToArray();
        return new CorrectionSplit(ToDataset(train), ToDataset(heldBack));
    }

    public static CorrectionSplit Read(CorrectionsLog corrections) => From(corrections.ReadAll());

    private static bool IsHeldBack(CorrectionRecord record) => record.PredictionId.ToByteArray()[15] % 5 == 0;

    private static MnistDataset ToDataset(IReadOnlyList<CorrectionRecord> records) =>
        new(records.SelectMany(r => r.Pixels).ToArray(), records.Select(r => (byte)r.Label).ToArray());

    private static MnistDataset Empty() => new([], []);
}
