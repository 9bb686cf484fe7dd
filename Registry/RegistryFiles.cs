using System.Runtime.InteropServices;
using System.Text.Json;

namespace MnistEvents.Registry;

/// <summary>How the model volume's small files are read and written: web-style JSON, and atomic replacement.</summary>
public static class RegistryFiles
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>For append-only JSON-lines files: one record per line.</summary>
    public static readonly JsonSerializerOptions JsonLine = new(JsonSerializerDefaults.Web);

    /// <summary>The JSON file at <paramref name="path"/>, or null if there is none.</summary>
    public static T? Read<T>(string path) where T : class
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new RegistryException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    public static void WriteJson<T>(string path, T value) => WriteAtomically(path, JsonSerializer.SerializeToUtf8Bytes(value, Json));

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, flushes it to disk, then renames it over: readers see the old bytes or the new, never a part.</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = TempBeside(path);
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Points the link at <paramref name="path"/> to <paramref name="target"/> (relative to its directory) in one rename.</summary>
    public static void LinkAtomically(string path, string target)
    {
        var temp = TempBeside(path);
        File.CreateSymbolicLink(temp, target);
        // rename(2) itself: it replaces the old link (or plain file) and never follows either link, where File.Move
        // refuses a link to a directory or one that does not resolve yet.
        if (Rename(temp, path) != 0)
        {
            var error = Marshal.GetLastPInvokeErrorMessage();
            File.Delete(temp);
            throw new IOException($"could not point {path} at {target}: {error}");
        }
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);

    private static string TempBeside(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
}
