using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Inference;
using MnistEvents.Model.Training;
using MnistEvents.Registry;
using MnistEvents.TestSupport;
using Xunit.Abstractions;

namespace MnistEvents.UnitTests.Evaluation;

/// <summary>
/// People's corrections teach the next model: a writing style MNIST lacks (a 7 written mirrored, with a bar through it,
/// made from real MNIST sevens) is misread until corrections of it are kept, then read; one client's poisoned
/// corrections are not trained on. Trained on the first 5,000 real MNIST images for one epoch, for speed.
/// </summary>
public class CorrectionsTests(ITestOutputHelper output)
{
    private static readonly TrainingOptions Training = new() { Epochs = 1, Limit = 5_000, TestLimit = 1_000 };

    [Fact]
    public void CorrectionsOfAnUnusualStyleTeachTheNextModelWhileOneClientsPoisonedCorrectionsDoNotMoveItsAnswer()
    {
        var registry = new ModelRegistry(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var served = MnistTrainer.Train(Training, TestData.Train, TestData.Test);
        using var answering = new DigitClassifier(served.Network);
        // Sevens the training never sees otherwise (past its first 5,000 images), each corrected to 7 once, as people
        // would: 30 clients, 10 each, with what the served model answered them.
        var honest = Sevens(TestData.Train, skip: 5_000).Take(300).Select(i => BarredMirrorSeven(TestData.Train.Image(i)))
            .Select((pixels, i) => Answered(answering, pixels, 7, $"10.0.1.{i % 30}", Id(i), i)).ToList();
        // The attack once seen: one client's six corrections of one surely-read 8 as 3, 7, 0, 4, 1 and 2; then slower,
        // the same 8 as 3 again, hours apart; then 30 other surely-read 8s, each as 3.
        var sureEights = Enumerable.Range(0, TestData.Test.Count).Where(i => TestData.Test.Labels[i] == 8)
            .Select(i => TestData.Test.Image(i).ToArray())
            .Where(p => answering.Probabilities(p) is var answer && DigitClassifier.ArgMax(answer) == 8 && answer[8] >= 0.99f).Take(31).ToList();
        var attacked = sureEights[0];
        var attack = new[] { 3, 7, 0, 4, 1, 2 }.Select(label => Answered(answering, attacked, label, Attacker, Guid.NewGuid(), 400))
            .Concat(Enumerable.Range(0, 8).Select(hour => Answered(answering, attacked, 3, Attacker, Guid.NewGuid(), 500 + 60 * hour)))
            .Concat(sureEights.Skip(1).Select((p, i) => Answered(answering, p, 3, Attacker, Guid.NewGuid(), 1000 + i)))
            .ToList();
        WriteCorrections(registry.Volume.CorrectionsPath, [.. honest, .. attack]);
        // Judged on sevens of the same style drawn from the test set, which no correction came from.
        var heldOut = Sevens(TestData.Test, skip: 0).Take(200).Select(i => BarredMirrorSeven(TestData.Test.Image(i))).ToList();

        var without = StyleAccuracy(answering, heldOut);
        var split = CorrectionSplit.Read(new CorrectionsLog(registry.Volume, 100_000));
        var result = MnistTrainer.Train(Training, TestData.Train, TestData.Test, corrections: split.Train);
        using var candidate = new DigitClassifier(result.Network);
        var with = StyleAccuracy(candidate, heldOut);
        var attackedAnswer = candidate.Probabilities(attacked);
        var outcome = CandidateJudging.SaveAndJudge(registry, result, Training, TestData.Test, ValidationUploads.Build(TestData.Test, 100), split,
            new PromotionOptions());
        output.WriteLine($"mirrored barred sevens read as 7: {without:P0} without corrections, {with:P0} with {split.Train.Count}; " +
            $"the attacked 8 is read as {DigitClassifier.ArgMax(attackedAnswer)} ({attackedAnswer.Max():P1}); {split.Summary()}");

        Assert.DoesNotContain(split.Judged.Trusted, r => r.Client == Attacker);
        Assert.Equal(attack.Count, split.Judged.Refused.Count(r => r.Record.Client == Attacker));
        Assert.Equal(8, DigitClassifier.ArgMax(attackedAnswer));
        // An honest correction of an answer the served model was sure of waits for a second client, like the attack's:
        // a few of the style's, not enough to stop it teaching.
        var sure = honest.Where(h => h.Confidence >= 0.99 && h.Predicted != 7).Select(h => h.PredictionId).ToHashSet();
        Assert.True(sure.Count < 30, $"{sure.Count} of the honest corrections wait for corroboration");
        Assert.Equal(sure, split.Judged.Refused.Where(r => r.Record.Client != Attacker)
            .Select(r => (r.Reason, r.Record.PredictionId)).Where(r => r.Reason == CorrectionRefusal.AwaitingCorroboration).Select(r => r.PredictionId).ToHashSet());
        Assert.Equal(300 - sure.Count, split.Train.Count + split.HeldBack.Count);
        Assert.True(with >= without + 0.3, $"{without:P0} -> {with:P0}");
        Assert.Equal(split.Train.Count, outcome.Manifest.Corrections);
        // The held-back fifth, of the same style, is scored on its own too; the verdict says what was refused and why.
        Assert.Equal(split.HeldBack.Count, outcome.Decision.HeldBackCorrections);
        Assert.True(outcome.Decision.CandidateCorrections >= without + 0.3, $"{outcome.Decision.CandidateCorrections:P0} on the held-back corrections");
        Assert.Contains($"on the {split.HeldBack.Count} corrections held back, ", outcome.Decision.Reason);
        Assert.Equal((split.Train.Count, attack.Count + sure.Count), (outcome.Decision.TrainedCorrections, outcome.Decision.RefusedCorrections));
        Assert.Contains($"{attack.Count + sure.Count} refused (", outcome.Decision.Reason);
        Assert.Contains("contradictory", outcome.Decision.Reason);
        Assert.Equal(Training.Limit + TrainingMix.Repeats(5_000, split.Train.Count) * split.Train.Count, outcome.Manifest.TrainingExamples);
    }

    [Fact]
    public async Task AFifthIsHeldBackTheSameWayEachTimeAndWhatTheGatewayCountsIsWhatTheTrainingReads()
    {
        var volume = new ModelVolume(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        var path = volume.CorrectionsPath;
        // Ids as the gateway's are, but fixed: which are held back is then known (a fifth, by the id's last byte).
        WriteCorrections(path, Enumerable.Range(0, 100).Select(i => new CorrectionRecord(Id(i), 7, 1, "a version", TestData.Test.Image(i).ToArray(),
            Start.AddMinutes(i), $"10.0.1.{i}")).ToList());
        var lines = File.ReadAllLines(path);
        // A repeated prediction id, a torn line, a label out of range, and a correction of too few pixels: none counts.
        var shortPixels = System.Text.Json.JsonSerializer.Serialize(
            new CorrectionRecord(Guid.NewGuid(), 3, 1, "a version", new byte[783], DateTimeOffset.UtcNow), RegistryFiles.JsonLine);
        File.AppendAllLines(path, [lines[0], "{\"label\":4,\"pixels\":", "{\"predictionId\":\"" + Guid.NewGuid() + "\",\"label\":12,\"pixels\":\"\"}", shortPixels]);

        var first = CorrectionSplit.Read(new CorrectionsLog(volume, 1000));
        var second = CorrectionSplit.Read(new CorrectionsLog(volume, 1000));
        using var gateway = new CorrectionsLog(volume, 1000);

        Assert.Equal((80, 20), (first.Train.Count, first.HeldBack.Count));
        Assert.Equal(first.HeldBack.Images, second.HeldBack.Images);
        Assert.Equal(100, (await gateway.CountAsync(CancellationToken.None)).Count);
        Assert.Equal(60, new CorrectionsLog(volume, 60).ReadAll().Count);
    }

    private static IEnumerable<int> Sevens(MnistDataset set, int skip) => Enumerable.Range(skip, set.Count - skip).Where(i => set.Labels[i] == 7);

    /// <summary>A seven mirrored left to right, with a bar drawn across its stem: a style MNIST's writers did not use.</summary>
    private static byte[] BarredMirrorSeven(ReadOnlySpan<byte> digit)
    {
        var pixels = new byte[MnistDataset.Pixels];
        for (var y = 0; y < 28; y++)
        for (var x = 0; x < 28; x++)
            pixels[y * 28 + x] = digit[y * 28 + 27 - x];
        for (var y = 13; y <= 15; y++)
        {
            var row = pixels.AsSpan(y * 28, 28);
            var left = row.IndexOfAnyExcept((byte)0);
            var right = row.LastIndexOfAnyExcept((byte)0);
            if (left < 0) continue;
            for (var x = Math.Max(0, left - 5); x <= Math.Min(27, right + 5); x++) row[x] = 255;
        }
        return pixels;
    }

    private const string Attacker = "10.0.0.66";

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static void WriteCorrections(string path, IReadOnlyList<CorrectionRecord> corrections)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, corrections.Select(c => System.Text.Json.JsonSerializer.Serialize(c, RegistryFiles.JsonLine)));
    }

    /// <summary>A correction as the gateway keeps it: what the served model answered, how surely, and who corrected it, <paramref name="minutes"/> after the start.</summary>
    private static CorrectionRecord Answered(DigitClassifier served, byte[] pixels, int label, string client, Guid id, int minutes)
    {
        var answer = served.Probabilities(pixels);
        var predicted = DigitClassifier.ArgMax(answer);
        return new CorrectionRecord(id, label, predicted, "a version", pixels, Start.AddMinutes(minutes), client, answer[predicted]);
    }

    private static Guid Id(int i)
    {
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes, i);
        bytes[15] = (byte)(i % 5 == 0 ? 0 : 1);
        return new Guid(bytes);
    }

    private static double StyleAccuracy(DigitClassifier classifier, IReadOnlyList<byte[]> examples) =>
        classifier.Probabilities(examples.SelectMany(e => e).ToArray(), examples.Count).Count(p => DigitClassifier.ArgMax(p) == 7) / (double)examples.Count;
}
