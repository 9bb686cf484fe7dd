namespace MnistEvents.Model.Data;

/// <summary>Where the MNIST files are looked for when no directory is given.</summary>
public static class MnistDirectory
{
    public const string EnvironmentVariable = "MNIST_DATA_DIR";

    /// <summary>
    /// $MNIST_DATA_DIR, else the nearest <c>data/mnist</c> holding the files, walking up from the
    /// working directory and then from the program's own directory (so tests and bin/ runs find the
    /// repository's copy), else <c>data/mnist</c> under the working directory.
    /// </summary>
    public static string Default()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "data", "mnist");
                if (File.Exists(Path.Combine(candidate, MnistFile.TrainImages.Name))) return candidate;
            }
        }
        return Path.Combine(Directory.GetCurrentDirectory(), "data", "mnist");
    }
}
