using MnistEvents.Model.Data;
using MnistEvents.TestSupport;

namespace MnistEvents.UnitTests.Data;

public class MnistDatasetTests
{
    [Fact]
    public void TestSplitHasTenThousandLabelledDigitsOfEveryClass()
    {
        var test = TestData.Test;

        Assert.Equal(10_000, test.Count);
        Assert.Equal(10_000 * 784, test.Images.Length);
        Assert.Equal(Enumerable.Range(0, 10).Select(d => (byte)d), test.Labels.Distinct().Order());
        Assert.Equal(7, test.Labels[0]); // the famous first test image is a 7
    }

    [Fact]
    public void MissingFileIsNamedWithItsPathAndHowToFetchIt()
    {
        var dir = TestData.TempDirectory();

        var e = Assert.Throws<MnistDataException>(() => MnistDataset.LoadTest(dir));

        Assert.Contains("t10k-images-idx3-ubyte", e.Message);
        Assert.Contains(Path.Combine(dir, "t10k-images-idx3-ubyte"), e.Message);
        Assert.Contains("fetch-mnist.sh", e.Message);
    }

    [Fact]
    public void CorruptFileIsRefusedWithItsChecksum()
    {
        var dir = TestData.TempDirectory();
        var source = MnistDirectory.Default();
        foreach (var file in new[] { MnistFile.TestImages, MnistFile.TestLabels })
            File.Copy(Path.Combine(source, file.Name), Path.Combine(dir, file.Name));
        using (var labels = File.OpenWrite(Path.Combine(dir, MnistFile.TestLabels.Name))) labels.SetLength(5000);

        var e = Assert.Throws<MnistDataException>(() => MnistDataset.LoadTest(dir));

        Assert.Contains("t10k-labels-idx1-ubyte", e.Message);
        Assert.Contains("corrupt", e.Message);
        Assert.Contains(MnistFile.TestLabels.Sha256, e.Message);
    }

    [Fact]
    public void TakeKeepsTheFirstImagesWithTheirLabels()
    {
        var first = TestData.Test.Take(3);

        Assert.Equal(3, first.Count);
        Assert.Equal(TestData.Test.Image(2).ToArray(), first.Image(2).ToArray());
        Assert.Equal(TestData.Test.Labels[..3], first.Labels);
    }
}
