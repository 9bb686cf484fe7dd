using System.Text.Json;
using MnistEvents.Contracts;
using MnistEvents.Registry;

namespace MnistEvents.Trainer.Worker;

/// <summary>
/// The trainings this worker was asked to run (<see cref="StartTraining"/>), one small file each in <see cref="ModelVolume.TrainingJobsDirectory"/>,
/// kept until their training ends. The queue's message is acknowledged as soon as the request is written here, so a
/// training longer than the broker's consumer timeout is never redelivered; a request seen twice (same training id)
/// is trained once; and one interrupted by a restart is trained again when the worker comes back.
/// </summary>
public sealed class TrainingJournal(ModelVolume volume, TimeProvider time)
{
    private const int FinishedKept = 200;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim added = new(0);

    private string Directory => volume.TrainingJobsDirectory;

    /// <summary>Writes the training down; false when its id is already known (a redelivery or a repeat).</summary>
    public bool TryAdd(StartTraining request)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (File.Exists(PathOf(request.TrainingId))) return false;
        Write(new JournalEntry(request, JournalEntry.Queued, time.GetUtcNow()));
        added.Release();
        return true;
    }

    public void Mark(StartTraining request, string state) => Write(new JournalEntry(request, state, time.GetUtcNow()));

    /// <summary>Queued and interrupted requests, oldest first.</summary>
    public IReadOnlyList<JournalEntry> Unfinished()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var entries = new DirectoryInfo(Directory).EnumerateFiles("*.json")
            .Select(f => JsonSerializer.Deserialize<JournalEntry>(File.ReadAllBytes(f.FullName), Json))
            .OfType<JournalEntry>()
            .ToList();
        foreach (var old in entries.Where(e => !e.Unfinished).OrderByDescending(e => e.UpdatedAt).Skip(FinishedKept))
            File.Delete(PathOf(old.Request.TrainingId));
        return entries.Where(e => e.Unfinished).OrderBy(e => e.Request.RequestedAt).ToList();
    }

    /// <summary>Returns when a request was added, or after <paramref name="timeout"/>.</summary>
    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) => added.WaitAsync(timeout, cancellationToken);

    private void Write(JournalEntry entry)
    {
        RegistryFiles.WriteAtomically(PathOf(entry.Request.TrainingId), JsonSerializer.SerializeToUtf8Bytes(entry, Json));
    }

    private string PathOf(Guid trainingId) => Path.Combine(Directory, $"{trainingId:N}.json");
}
