using MnistEvents.Imaging;
using MnistEvents.Model.Inference;
using MnistEvents.Model.Networks;
using MnistEvents.Model.Store;
using MnistEvents.TestSupport;
using SixLabors.ImageSharp.Formats.Png;
using static TorchSharp.torch;

namespace MnistEvents.UnitTests.Store;

public class ModelStoreTests
{
    [Theory]
    [InlineData(Architecture.Cnn)]
    [InlineData(Architecture.Mlp)]
    public void SavedModelLoadsBackWithTheSameOutputsAndAMatchingManifest(Architecture architecture)
    {
        var path = Path.Combine(TestData.TempDirectory(), "mnist.pt");
        manual_seed(7);
        using var network = NetworkFactory.Create(architecture);
        network.eval();

        var saved = ModelStore.Save(network, path, architecture, testAccuracy: 0.5, epochs: 3, trainingExamples: 100);
        using var loaded = ModelStore.Load(path);

        Assert.Equal(saved, loaded.Manifest);
        Assert.Equal(NetworkFactory.Name(architecture), loaded.Manifest.Architecture);
        Assert.Equal(ModelStore.Sha256(path), loaded.Manifest.Sha256);
        Assert.StartsWith(saved.TrainedAt.ToString("yyyyMMdd-HHmmss"), saved.Version);
        using var input = randn(4, 1, 28, 28);
        using var expected = network.call(input);
        using var actual = loaded.Network.call(input);
        Assert.True(expected.allclose(actual));
        Assert.Equal(["mnist.pt", "mnist.pt.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void SeedsOwnPyTorchFileLoadsAsTheMlpAndClassifiesMnist()
    {
        using var seed = ModelStore.Load(TestData.Fixture("seed_mlp.pt"));
        using var classifier = new DigitClassifier(seed.Network);
        var test = TestData.Test.Take(1000);

        var probabilities = classifier.Probabilities(test.Images, test.Count);
        var correct = probabilities.Where((p, i) => DigitClassifier.ArgMax(p) == test.Labels[i]).Count();

        Assert.Equal("mlp", seed.Manifest.Architecture);
        Assert.StartsWith("unversioned-", seed.Manifest.Version);
        Assert.True(correct >= 940, $"seed MLP got {correct}/1000 (it scores 96.2% on the full test set)");
    }

    [Fact]
    public void SeedModelClassifiesRealDigitsUploadedAsDarkOnWhitePngs()
    {
        using var seed = ModelStore.Load(TestData.Fixture("seed_mlp.pt"));
        using var classifier = new DigitClassifier(seed.Network);
        var preprocessor = new DigitPreprocessor();
        var test = TestData.Test.Take(200);

        var correct = 0;
        for (var i = 0; i < test.Count; i++)
        {
            using var upload = DigitImages.Render(test.Image(i), scale: 6, darkOnLight: true, canvasWidth: 300, canvasHeight: 220, x: 60 + i % 50, y: 20 + i % 30);
            var digit = preprocessor.Preprocess(DigitImages.Encode(upload, new PngEncoder()));
            if (DigitClassifier.ArgMax(classifier.Probabilities(digit.Pixels)) == test.Labels[i]) correct++;
        }

        Assert.True(correct >= 180, $"{correct}/200 re-uploaded digits classified correctly");
    }

    [Fact]
    public async Task ReadersNeverSeeAHalfWrittenModelWhileItIsReplaced()
    {
        var path = Path.Combine(TestData.TempDirectory(), "mnist.pt");
        using var first = NetworkFactory.Create(Architecture.Mlp);
        using var second = NetworkFactory.Create(Architecture.Mlp);
        first.eval();
        second.eval();
        using var input = randn(2, 1, 28, 28);
        using var firstOutput = first.call(input);
        using var secondOutput = second.call(input);
        ModelStore.Save(first, path, Architecture.Mlp, 0.1, 1);

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 30; i++) ModelStore.Save(i % 2 == 0 ? second : first, path, Architecture.Mlp, 0.1, 1);
            stop.Cancel();
        });
        var reads = 0;
        while (!stop.IsCancellationRequested)
        {
            // Load itself checks the bytes against the manifest's sha256; the outputs show which model it was.
            using var loaded = ModelStore.Load(path);
            using var output = loaded.Network.call(input);
            Assert.True(output.allclose(firstOutput) || output.allclose(secondOutput));
            reads++;
        }
        await writer;

        Assert.True(reads > 0);
        Assert.Equal(2, Directory.GetFiles(Path.GetDirectoryName(path)!).Length); // no temporary files left behind
    }

    [Fact]
    public void FileThatIsNotAStateDictIsRefusedClearly()
    {
        var path = Path.Combine(TestData.TempDirectory(), "mnist.pt");
        File.WriteAllText(path, "not a model");

        var e = Assert.Throws<ModelStoreException>(() => ModelStore.Load(path));

        Assert.Contains("not a PyTorch state_dict", e.Message);
    }

    [Fact]
    public void ModelThatDoesNotMatchItsManifestIsRefused()
    {
        var path = Path.Combine(TestData.TempDirectory(), "mnist.pt");
        using var network = NetworkFactory.Create(Architecture.Mlp);
        ModelStore.Save(network, path, Architecture.Mlp, null, 1);
        File.Copy(TestData.Fixture("seed_mlp.pt"), path, overwrite: true);

        var e = Assert.Throws<ModelStoreException>(() => ModelStore.Load(path));

        Assert.Contains("manifest says", e.Message);
    }

    [Fact]
    public void MissingFileIsReportedWithItsPath()
    {
        var path = Path.Combine(TestData.TempDirectory(), "absent.pt");
        Assert.Contains(path, Assert.Throws<ModelStoreException>(() => ModelStore.Load(path)).Message);
    }
}
