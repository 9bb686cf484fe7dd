namespace MnistEvents.Imaging;

/// <summary>
/// Per-pixel working arrays that live for one upload's preprocessing, kept on each thread for the next upload of the same
/// size: a gateway sees the same few sizes again and again (the UI's 280×280 canvas, MNIST's 28×28), and a fresh array of
/// an image's size is zeroed out of memory the cache no longer holds, which cost more than the pass that fills it.
/// An array is taken (no one else on the thread can have it until it is given back) and comes back cleared, of exactly
/// the length asked for. Only small ones are kept, so a thread holds at most <see cref="Kept"/> of
/// <see cref="LargestKept"/> elements however large the images it has seen.
/// </summary>
internal static class Scratch<T>
{
    private const int LargestKept = 1 << 18;
    private const int Kept = 6;

    [ThreadStatic] private static T[]?[]? kept;

    public static T[] Take(int length)
    {
        if (kept is { } arrays)
            for (var i = 0; i < arrays.Length; i++)
                if (arrays[i] is { } array && array.Length == length)
                {
                    arrays[i] = null;
                    Array.Clear(array);
                    return array;
                }
        return new T[length];
    }

    /// <summary>Gives an array back; the caller no longer uses it.</summary>
    public static void Give(T[] array)
    {
        if (array.Length > LargestKept) return;
        var arrays = kept ??= new T[Kept][];
        for (var i = 0; i < arrays.Length; i++)
            if (arrays[i] is null)
            {
                arrays[i] = array;
                return;
            }
        arrays[0] = array;
    }
}
