// MSBuild task (compiled by RoslynCodeTaskFactory from build/TorchSharp.targets) and, unchanged,
// a source file of the unit tests, which call ElfVersionNeeds directly.
//
// TorchSharp 0.107.0's libLibTorchSharp.so records a need for GLIBCXX_3.4.32 (GCC 13) for a
// single symbol, _ZSt21ios_base_library_initv: a link-time marker nothing calls. Debian 12's
// libstdc++ stops at GLIBCXX_3.4.30, so the loader refuses the library and TorchSharp reports a
// misleading "doesn't contain a reference to libtorch-cpu-linux-x64". Marking that one version
// need VER_FLG_WEAK turns the refusal into a warning. Only done where the system lacks it.
#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakenGlibcxxRequirement : Microsoft.Build.Utilities.Task
{
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    [Required] public string Version { get; set; } = "";

    public override bool Execute()
    {
        var system = ElfVersionNeeds.FindSystemLibStdCxx();
        if (system is null || ElfVersionNeeds.DefinesVersion(system, Version))
        {
            Log.LogMessage(MessageImportance.Low, "libstdc++ {0} provides {1} (or none found): nothing to patch", system ?? "-", Version);
            return true;
        }

        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            var result = ElfVersionNeeds.MarkWeak(path, Version);
            Log.LogMessage(MessageImportance.Normal, "{0}: {1} need is {2} ({3} lacks it)", path, Version, result, system);
        }

        return !Log.HasLoggedErrors;
    }
}

public enum WeakenResult { Patched, AlreadyWeak, NotNeeded }

public static class ElfVersionNeeds
{
    public const ushort VerFlgWeak = 0x2;
    const uint ShtGnuVerneed = 0x6ffffffe;

    static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    };

    public static string? FindSystemLibStdCxx() => Array.Find(LibStdCxxCandidates, File.Exists);

    /// <summary>True when the library's version strings include <paramref name="version"/>.</summary>
    public static bool DefinesVersion(string library, string version) =>
        IndexOf(File.ReadAllBytes(library), Encoding.ASCII.GetBytes(version + "\0")) >= 0;

    /// <summary>Reads the vna_flags of the version need named <paramref name="version"/>, or null if the file has none.</summary>
    public static ushort? ReadFlags(string path, string version)
    {
        var elf = File.ReadAllBytes(path);
        var offset = FlagsOffset(elf, version);
        return offset < 0 ? null : BitConverter.ToUInt16(elf, offset);
    }

    /// <summary>Sets VER_FLG_WEAK on the version need; writes a new file and renames it over the old, so a hard link into the NuGet cache is never modified.</summary>
    public static WeakenResult MarkWeak(string path, string version)
    {
        var elf = File.ReadAllBytes(path);
        var offset = FlagsOffset(elf, version);
        if (offset < 0) return WeakenResult.NotNeeded;
        var flags = BitConverter.ToUInt16(elf, offset);
        if ((flags & VerFlgWeak) != 0) return WeakenResult.AlreadyWeak;

        // Patch a copy (File.Copy keeps the mode) and swap it in: the original may be a hard link
        // into the NuGet cache, which must stay as shipped. Runs inside MSBuild on netstandard2.0.
        var temp = path + ".weakening";
        File.Copy(path, temp, overwrite: true);
        using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write))
        {
            stream.Seek(offset, SeekOrigin.Begin);
            stream.Write(BitConverter.GetBytes((ushort)(flags | VerFlgWeak)), 0, 2);
            stream.Flush(flushToDisk: true);
        }
        File.Delete(path);
        File.Move(temp, path);
        return WeakenResult.Patched;
    }

    /// <summary>File offset of vna_flags in the version need (ELF64, little-endian) named <paramref name="version"/>, or -1.</summary>
    public static int FlagsOffset(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only little-endian ELF64 is supported");

        var shoff = (int)BitConverter.ToUInt64(elf, 0x28);
        var shentsize = BitConverter.ToUInt16(elf, 0x3A);
        var shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (var i = 0; i < shnum; i++)
        {
            var sh = shoff + i * shentsize;
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;

            var sectionOffset = (int)BitConverter.ToUInt64(elf, sh + 24);
            var strtab = shoff + (int)BitConverter.ToUInt32(elf, sh + 40) * shentsize;
            var strOffset = (int)BitConverter.ToUInt64(elf, strtab + 24);
            var needCount = BitConverter.ToUInt32(elf, sh + 44);

            var need = sectionOffset;
            for (var n = 0; n < needCount; n++)
            {
                var auxCount = BitConverter.ToUInt16(elf, need + 2);
                var aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    if (ReadString(elf, strOffset + (int)BitConverter.ToUInt32(elf, aux + 8)) == version) return aux + 4;
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }
        return -1;
    }

    static string ReadString(byte[] elf, int offset)
    {
        var end = Array.IndexOf(elf, (byte)0, offset);
        return Encoding.ASCII.GetString(elf, offset, end - offset);
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }
}
