using System.Reflection;
using System.Text.Json;
using MnistEvents.Contracts;

namespace MnistEvents.UnitTests.Contracts;

public class ContractsTests
{
    private static readonly Type[] Messages = typeof(PredictDigitBatch).Assembly.GetExportedTypes();

    [Fact]
    public void ContractsAssemblyReferencesNothingButTheFramework()
    {
        var references = typeof(PredictDigitBatch).Assembly.GetReferencedAssemblies().Select(a => a.Name!);
        Assert.All(references, name => Assert.True(name is "System.Runtime" or "netstandard" || name.StartsWith("System.", StringComparison.Ordinal), name));
    }

    [Fact]
    public void EveryMessageIsASealedPositionalRecordInTheContractsNamespace()
    {
        Assert.Equal(
            ["ActivateModel", "CandidateJudged", "CorrectionReviewed", "DigitBatchPredicted", "DigitPredicted", "DriftNow", "DriftPoint", "DriftScored",
             "FeatureCounts", "FeatureScore", "InputProfile", "LifecycleCommandRefused", "ModelActivated", "ModelLoaded", "ModelRejected", "ModelSaved",
             "PolicyDecision", "PolicyFired", "PolicyRule", "PredictDigitBatch", "PredictionRejected", "PromotionDecided", "ReplicaReported", "RequestRetrain",
             "RetrainAccepted", "RetrainPolicyChecked", "RetrainRejected", "RetrainSettled", "ReviewCorrection", "ShadowModel", "ShadowReported",
             "ShadowStarted", "ShadowStopped", "StartTraining", "TrainingCompleted", "TrainingFailed", "TrainingProgressed", "TrainingStarted"],
            Messages.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(Messages, t =>
        {
            Assert.Equal("MnistEvents.Contracts", t.Namespace); // MassTransit's batch consumers refuse namespace-less types
            Assert.True(t.IsSealed, t.Name);
            Assert.NotNull(t.GetMethod("<Clone>$")); // records only
            Assert.Single(t.GetConstructors());
        });
    }

    [Fact]
    public void PredictDigitBatchCarriesPixelsAndRoundTripsThroughJson()
    {
        var pixels = Enumerable.Range(0, 2 * 784).Select(i => (byte)i).ToArray();
        var message = new PredictDigitBatch(Guid.NewGuid(), [Guid.NewGuid(), Guid.NewGuid()], pixels, DateTimeOffset.UtcNow);

        var back = JsonSerializer.Deserialize<PredictDigitBatch>(JsonSerializer.Serialize(message, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;

        Assert.Equal(message.BatchId, back.BatchId);
        Assert.Equal(message.RequestIds, back.RequestIds);
        Assert.Equal(pixels, back.Pixels);
        Assert.Equal(message.SentAt, back.SentAt);
    }

    [Fact]
    public void ABatchsAnswersTravelAsColumnsAndComeBackAsOneAnswerPerRequest()
    {
        var random = new Random(5);
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        var probabilities = ids.Select(_ => Enumerable.Range(0, 10).Select(_ => random.NextSingle()).ToArray()).ToArray();
        var digits = probabilities.Select(p => System.Array.IndexOf(p, p.Max())).ToArray();
        var columns = probabilities.SelectMany(p => p.SelectMany(BitConverter.GetBytes)).ToArray();
        var at = DateTimeOffset.UtcNow;
        var message = new DigitBatchPredicted(Guid.NewGuid(), ids, digits, columns, "v7", "predictor-2", 1.5, at);

        var answers = JsonSerializer.Deserialize<DigitBatchPredicted>(JsonSerializer.Serialize(message, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!.Predictions();

        Assert.Equal(ids, answers.Select(a => a.RequestId));
        Assert.Equal(digits, answers.Select(a => a.Digit));
        Assert.Equal(probabilities, answers.Select(a => a.Probabilities));
        Assert.Equal(probabilities.Select((p, i) => p[digits[i]]), answers.Select(a => a.Confidence));
        Assert.Equal(answers.Select(a => a.Confidence), answers.Select((_, i) => message.Confidence(i)));
        Assert.All(answers, a => Assert.Equal(("v7", "predictor-2", 1.5, at), (a.ModelVersion, a.Replica, a.InferenceMs, a.PredictedAt)));
    }

    [Fact]
    public void ABatchWhoseColumnsDoNotHoldOneAnswerPerRequestIsRefusedInWords()
    {
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var columns = new byte[2 * DigitBatchPredicted.ProbabilityBytes];

        Assert.Contains("1 digits", Assert.Throws<InvalidOperationException>(() => new DigitBatchPredicted(Guid.NewGuid(), ids, [3], columns, "v", "r", 1, default).Predictions()).Message);
        Assert.Contains("for 2 requests", Assert.Throws<InvalidOperationException>(() => new DigitBatchPredicted(Guid.NewGuid(), ids, [3, 4], columns[..40], "v", "r", 1, default).Predictions()).Message);
        Assert.Contains("the digit 10", Assert.Throws<InvalidOperationException>(() => new DigitBatchPredicted(Guid.NewGuid(), ids, [3, 10], columns, "v", "r", 1, default).Predictions()).Message);
        Assert.Throws<InvalidOperationException>(() => JsonSerializer.Deserialize<DigitBatchPredicted>("{\"batchId\":\"" + Guid.NewGuid() + "\"}", JsonSerializerOptions.Web)!.Predictions());
    }

    [Fact]
    public void EveryMessageRoundTripsThroughJsonWithItsValues()
    {
        foreach (var type in Messages)
        {
            var constructor = type.GetConstructors().Single();
            var arguments = constructor.GetParameters().Select(p => Sample(p.ParameterType)).ToArray();
            var message = constructor.Invoke(arguments);

            var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(message, type, JsonSerializerOptions.Web), type, JsonSerializerOptions.Web)!;

            foreach (var (parameter, expected) in constructor.GetParameters().Zip(arguments))
            {
                var actual = type.GetProperty(parameter.Name!, BindingFlags.Public | BindingFlags.Instance)!.GetValue(back);
                Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
            }
        }
    }

    private static object? Sample(Type type) => type switch
    {
        { IsArray: true } when type != typeof(byte[]) && type != typeof(float[]) => Array(type.GetElementType()!),
        _ when type.Namespace == typeof(PredictDigitBatch).Namespace => type.GetConstructors().Single().Invoke(
            type.GetConstructors().Single().GetParameters().Select(p => Sample(p.ParameterType)).ToArray()),
        _ when type == typeof(Guid) || type == typeof(Guid?) => Guid.NewGuid(),
        _ when type == typeof(string) => "text",
        _ when type == typeof(int) || type == typeof(int?) => 3,
        _ when type == typeof(long) || type == typeof(long?) => 5L,
        _ when type == typeof(bool) => true,
        _ when type == typeof(double) || type == typeof(double?) => 0.25,
        _ when type == typeof(float) => 0.5f,
        _ when type == typeof(byte[]) => new byte[] { 1, 2, 3 },
        _ when type == typeof(float[]) => new[] { 0.1f, 0.9f },
        _ when type == typeof(TimeSpan) => TimeSpan.FromSeconds(90),
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?) => new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero),
        _ => throw new NotSupportedException($"add a sample value for {type}"),
    };

    private static Array Array(Type element)
    {
        var array = System.Array.CreateInstance(element, 2);
        array.SetValue(Sample(element), 0);
        array.SetValue(Sample(element), 1);
        return array;
    }
}
