using MnistEvents.Model.Store;
using MnistEvents.Predictor.Serving;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Predictor;

public class ModelHolderTests
{
    [Fact]
    public void SwappedOutModelKeepsServingTheBatchThatLeasedItThenIsDisposed()
    {
        var dir = TestData.TempDirectory();
        var holder = new ModelHolder();
        holder.TrySetInitial(ModelVerifier.Load(Models.SeedCopy(dir), ModelStore.DefaultMaxBytes));
        Assert.True(holder.TryLease(out var lease));

        var nextPath = Path.Combine(dir, "next.pt");
        holder.Swap(ModelVerifier.Load(nextPath, ModelStore.DefaultMaxBytes, Models.SaveUntrained(nextPath).Sha256));

        Assert.Equal(TestData.Test.Labels[0], Model.Inference.DigitClassifier.ArgMax(lease.Model.Classifier.Probabilities(TestData.Test.Image(0))));
        lease.Dispose();
        Assert.Throws<ObjectDisposedException>(() => lease.Model.Classifier.Probabilities(TestData.Test.Image(0)));
        Assert.True(holder.TryLease(out var current));
        using (current) Assert.NotEqual(lease.Model.Manifest.Version, current.Model.Manifest.Version);
    }

    [Fact]
    public void ReplicaWithoutAModelHasNothingToLease() => Assert.False(new ModelHolder().TryLease(out _));

    [Fact]
    public void FileNotMatchingTheAnnouncedChecksumIsRefused()
    {
        var path = Models.SeedCopy(TestData.TempDirectory());
        var e = Assert.Throws<ModelStoreException>(() => ModelVerifier.Load(path, ModelStore.DefaultMaxBytes, new string('a', 64)));
        Assert.Contains("not the announced", e.Message);
    }
}
