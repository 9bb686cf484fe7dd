using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MnistEvents.Model.Data;

/// <summary>An MNIST split held in memory: <see cref="Count"/> images of 28×28 bytes (0 = background, 255 = ink) and their labels.</summary>
public sealed class MnistDataset
{
    public const int Side = 28;
    public const int Pixels = Side * Side;

    public MnistDataset(byte[] images, byte[] labels)
    {
        if (images.Length != labels.Length * Pixels)
            throw new ArgumentException($"{images.Length} image bytes do not match {labels.Length} labels");
        Images = images;
        Labels = labels;
    }

    public byte[] Images { get; }

    public byte[] Labels { get; }

    public int Count => Labels.Length;

    public ReadOnlySpan<byte> Image(int index) => Images.AsSpan(index * Pixels, Pixels);

    /// <summary>The first <paramref name="count"/> examples (all of them when count is null or larger).</summary>
    public MnistDataset Take(int? count)
    {
        if (count is null || count >= Count) return this;
        var n = Math.Max(0, count.Value);
        return new MnistDataset(Images[..(n * Pixels)], Labels[..n]);
    }

    public static MnistDataset LoadTrain(string directory, bool verify = true) =>
        Load(directory, MnistFile.TrainImages, MnistFile.TrainLabels, verify);

    public static MnistDataset LoadTest(string directory, bool verify = true) =>
        Load(directory, MnistFile.TestImages, MnistFile.TestLabels, verify);

    /// <summary>Checks that all four files exist with the expected sha256, throwing <see cref="MnistDataException"/> for the first that does not.</summary>
    public static void Verify(string directory)
    {
        foreach (var file in MnistFile.All) ReadVerified(directory, file, verify: true);
    }

    private static MnistDataset Load(string directory, MnistFile imagesFile, MnistFile labelsFile, bool verify)
    {
        var images = ReadVerified(directory, imagesFile, verify);
        var labels = ReadVerified(directory, labelsFile, verify);
        var path = Path.Combine(directory, imagesFile.Name);
        if (ReadInt(images, 0, path) != 0x803 || ReadInt(images, 8, path) != Side || ReadInt(images, 12, path) != Side)
            throw new MnistDataException($"{path} is not an IDX file of 28×28 images. {MnistDataException.FetchHint}");
        if (ReadInt(labels, 0, Path.Combine(directory, labelsFile.Name)) != 0x801)
            throw new MnistDataException($"{Path.Combine(directory, labelsFile.Name)} is not an IDX label file. {MnistDataException.FetchHint}");

        var count = ReadInt(images, 4, path);
        if (count != ReadInt(labels, 4, path) || images.Length != 16 + count * Pixels || labels.Length != 8 + count)
            throw new MnistDataException($"{path} and its labels disagree on the number of images. {MnistDataException.FetchHint}");
        return new MnistDataset(images[16..], labels[8..]);
    }

    private static byte[] ReadVerified(string directory, MnistFile file, bool verify)
    {
        var path = Path.GetFullPath(Path.Combine(directory, file.Name));
        if (!File.Exists(path))
            throw new MnistDataException($"MNIST file {file.Name} is missing: expected at {path}. {MnistDataException.FetchHint}");
        var bytes = File.ReadAllBytes(path);
        if (verify)
        {
            var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (actual != file.Sha256)
                throw new MnistDataException($"MNIST file {file.Name} at {path} is corrupt: sha256 {actual}, expected {file.Sha256}. Delete it and fetch again: {MnistDataException.FetchHint}");
        }
        return bytes;
    }

    private static int ReadInt(byte[] bytes, int offset, string path) =>
        bytes.Length >= offset + 4
            ? BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset))
            : throw new MnistDataException($"{path} is truncated. {MnistDataException.FetchHint}");
}
