namespace MnistEvents.Model.Training;

/// <summary>An epoch's test-set evaluation.</summary>
public sealed record EpochResult(int Epoch, int Epochs, double TestLoss, int Correct, int Total, TimeSpan Elapsed)
{
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}
