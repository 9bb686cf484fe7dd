using MnistEvents.Model.Inference;
using TorchSharp;

namespace MnistEvents.UnitTests.Inference;

public class TorchThreadsTests
{
    [Fact]
    public void AThreadKeepsItsOwnCountWhenAnotherThreadSetsOneAfterIt()
    {
        using var servingSet = new ManualResetEventSlim();
        using var trainingSet = new ManualResetEventSlim();
        int servingAfter = 0, training = 0;
        var serving = new Thread(() =>
        {
            // Nothing run on this thread before or between: its first forward pass comes after the other thread's count.
            TorchThreads.UseOnThisThread(1);
            servingSet.Set();
            trainingSet.Wait();
            // A forward pass of its own after the other thread's change.
            using (torch.NewDisposeScope()) torch.ones(64, 64).matmul(torch.ones(64, 64)).sum().item<float>();
            servingAfter = torch.get_num_threads();
        });
        // A thread that has run nothing yet, as a training run's thread-pool thread may be.
        var trainer = new Thread(() =>
        {
            servingSet.Wait();
            TorchThreads.UseOnThisThread(3);
            training = torch.get_num_threads();
            trainingSet.Set();
        });
        serving.Start();
        trainer.Start();
        serving.Join();
        trainer.Join();

        Assert.Equal(3, training);
        Assert.Equal(1, servingAfter);
    }
}
