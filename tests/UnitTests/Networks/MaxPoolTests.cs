using MnistEvents.Model.Networks;
using static TorchSharp.torch;

namespace MnistEvents.UnitTests.Networks;

public sealed class MaxPoolTests
{
    [Theory]
    [InlineData(1, 32, 28, 28)]
    [InlineData(5, 64, 14, 14)]
    public void Two_by_two_pooling_gives_what_libtorch_max_pool2d_gives(long n, long c, long h, long w)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var x = randn(n, c, h, w);
        // Ties are where an element-wise maximum and max_pool2d could differ; repeated values put some in every window.
        x[.., .., .., 1..2] = x[.., .., .., 0..1].clone();

        var ours = MaxPool.TwoByTwo(x);
        var libtorch = nn.functional.max_pool2d(x, 2);

        Assert.Equal(libtorch.shape, ours.shape);
        Assert.True(ours.equal(libtorch).all().item<bool>());
    }

    [Fact]
    public void Odd_sides_are_refused_rather_than_silently_cropped()
    {
        using var x = zeros(1, 1, 7, 7);
        Assert.Throws<ArgumentException>(() => MaxPool.TwoByTwo(x));
    }
}
