namespace MnistEvents.Imaging.Profiles;

/// <summary>
/// One feature of an input profile and its bins, fixed here for every replica, trainer and gateway alike: a value falls
/// in the first bin whose upper edge is above it, and past the last edge in the last bin.
/// </summary>
public sealed record ProfileFeature(string Name, string Words, double[] Edges)
{
    public int Bins => Edges.Length + 1;

    public int Bin(double value)
    {
        for (var i = 0; i < Edges.Length; i++)
            if (value < Edges[i]) return i;
        return Edges.Length;
    }
}
