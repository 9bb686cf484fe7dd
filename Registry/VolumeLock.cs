namespace MnistEvents.Registry;

/// <summary>
/// One writer at a time across the processes sharing a volume (the gateway activating, a trainer promoting): an
/// exclusive lock on <see cref="ModelVolume.LockPath"/>, waited for <see cref="ModelVolume.LockPatience"/>; released when disposed.
/// </summary>
public static class VolumeLock
{
    public static IDisposable Take(ModelVolume volume)
    {
        Directory.CreateDirectory(volume.Root);
        var deadline = DateTime.UtcNow + volume.LockPatience;
        while (true)
        {
            try
            {
                return new FileStream(volume.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
            catch (IOException e)
            {
                throw new RegistryException($"the model store at {volume.Root} stayed locked for {volume.LockPatience.TotalSeconds:0.##} s", e);
            }
        }
    }
}
