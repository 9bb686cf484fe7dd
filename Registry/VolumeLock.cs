namespace MnistEvents.Registry;

/// <summary>
/// One writer at a time across the processes sharing a volume (the gateway activating, a trainer promoting): an
/// exclusive lock on <see cref="ModelVolume.LockPath"/>, waited for briefly; released when disposed.
/// </summary>
public static class VolumeLock
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static IDisposable Take(ModelVolume volume)
    {
        Directory.CreateDirectory(volume.Root);
        var deadline = DateTime.UtcNow + Patience;
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
                throw new RegistryException($"the model store at {volume.Root} stayed locked for {Patience.TotalSeconds:0} s", e);
            }
        }
    }
}
