using System.Text;
using Vhw.Build;

namespace Vhw.Ingest.Tests.Build;

/// <summary>The build step that makes libtorch load on Debian 12 (build/ElfVersionNeedPatcher.cs).</summary>
public sealed class ElfVersionNeedPatcherTests
{
    /// <summary>
    /// A minimal ELF64 LE image: header, .dynstr, .gnu.version_r with two Verneed entries
    /// (libc.so.6: GLIBC_2.2.5; libstdc++.so.6: GLIBCXX_3.4.30, GLIBCXX_3.4.32), 3 section headers.
    /// </summary>
    internal static byte[] SyntheticElf(ushort flagsOf32 = 0)
    {
        var strtab = new List<byte> { 0 };
        int Str(string s) { int at = strtab.Count; strtab.AddRange(Encoding.ASCII.GetBytes(s)); strtab.Add(0); return at; }
        int libc = Str("libc.so.6"), glibc = Str("GLIBC_2.2.5"), libstd = Str("libstdc++.so.6");
        int v30 = Str("GLIBCXX_3.4.30"), v32 = Str("GLIBCXX_3.4.32");

        const int strOff = 0x40;
        int verOff = strOff + ((strtab.Count + 7) & ~7);
        // verneed section: vn0 (16) aux0 (16) | vn1 (16) aux1a (16) aux1b (16)
        var ver = new byte[80];
        void W16(byte[] b, int at, int v) { b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); }
        void W32(byte[] b, int at, long v) { for (int i = 0; i < 4; i++) b[at + i] = (byte)(v >> (8 * i)); }
        void W64(byte[] b, int at, long v) { for (int i = 0; i < 8; i++) b[at + i] = (byte)(v >> (8 * i)); }
        W16(ver, 0, 1); W16(ver, 2, 1); W32(ver, 4, libc); W32(ver, 8, 16); W32(ver, 12, 32);
        W32(ver, 16 + 0, 0); W16(ver, 16 + 4, 0); W16(ver, 16 + 6, 2); W32(ver, 16 + 8, glibc); W32(ver, 16 + 12, 0);
        W16(ver, 32, 1); W16(ver, 34, 2); W32(ver, 36, libstd); W32(ver, 40, 16); W32(ver, 44, 0);
        W16(ver, 48 + 4, 0); W16(ver, 48 + 6, 3); W32(ver, 48 + 8, v30); W32(ver, 48 + 12, 16);
        W16(ver, 64 + 4, flagsOf32); W16(ver, 64 + 6, 4); W32(ver, 64 + 8, v32); W32(ver, 64 + 12, 0);

        int shOff = verOff + ver.Length;
        var elf = new byte[shOff + 3 * 64];
        elf[0] = 0x7f; elf[1] = (byte)'E'; elf[2] = (byte)'L'; elf[3] = (byte)'F'; elf[4] = 2; elf[5] = 1; elf[6] = 1;
        W64(elf, 0x28, shOff); W16(elf, 0x3A, 64); W16(elf, 0x3C, 3);
        strtab.CopyTo(elf, strOff);
        ver.CopyTo(elf, verOff);
        // section 1: .dynstr (SHT_STRTAB = 3); section 2: .gnu.version_r, sh_link = 1, sh_info = 2
        int s1 = shOff + 64, s2 = shOff + 128;
        W32(elf, s1 + 4, 3); W64(elf, s1 + 24, strOff); W64(elf, s1 + 32, strtab.Count);
        W32(elf, s2 + 4, unchecked((int)ElfVersionNeedPatcher.ShtGnuVerneed)); W64(elf, s2 + 24, verOff); W64(elf, s2 + 32, ver.Length);
        W32(elf, s2 + 40, 1); W32(elf, s2 + 44, 2);
        return elf;
    }

    static int FlagsOffsetOf32(byte[] elf) => FindVerOff(elf) + 64 + 4;

    static int FindVerOff(byte[] elf)
    {
        long shoff = BitConverter.ToInt64(elf, 0x28);
        return (int)BitConverter.ToInt64(elf, (int)shoff + 128 + 24);
    }

    [Fact]
    public void Sets_weak_flag_on_exactly_the_named_version_and_nothing_else()
    {
        byte[] elf = SyntheticElf();
        byte[] before = (byte[])elf.Clone();

        var outcome = ElfVersionNeedPatcher.Patch(elf, "GLIBCXX_3.4.32");

        Assert.Equal(ElfPatchOutcome.Patched, outcome);
        int flags = FlagsOffsetOf32(elf);
        Assert.Equal(ElfVersionNeedPatcher.VerFlgWeak, BitConverter.ToUInt16(elf, flags));
        var changed = Enumerable.Range(0, elf.Length).Where(i => elf[i] != before[i]).ToArray();
        Assert.Equal(new[] { flags }, changed);
    }

    [Fact]
    public void Is_idempotent_and_keeps_existing_flags()
    {
        byte[] elf = SyntheticElf(flagsOf32: 0x1);
        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeedPatcher.Patch(elf, "GLIBCXX_3.4.32"));
        byte[] once = (byte[])elf.Clone();
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionNeedPatcher.Patch(elf, "GLIBCXX_3.4.32"));
        Assert.Equal(once, elf);
        Assert.Equal(0x3, BitConverter.ToUInt16(elf, FlagsOffsetOf32(elf)));
    }

    [Fact]
    public void Reports_when_the_version_is_not_required()
    {
        byte[] elf = SyntheticElf();
        Assert.Equal(ElfPatchOutcome.VersionNotRequired, ElfVersionNeedPatcher.Patch(elf, "GLIBCXX_9.9.9"));
    }

    [Fact]
    public void Rejects_non_elf_and_truncated_files_with_the_file_name()
    {
        var e1 = Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.Patch(new byte[100], "X", "a.so"));
        Assert.Contains("a.so", e1.Message);
        byte[] elf = SyntheticElf();
        var e2 = Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.Patch(elf[..(elf.Length - 10)], "GLIBCXX_3.4.32", "b.so"));
        Assert.Contains("b.so", e2.Message);
    }

    [Fact]
    public void PatchFile_rewrites_the_file_in_place()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vhw-elf-{Guid.NewGuid():N}.so");
        try
        {
            File.WriteAllBytes(path, SyntheticElf());
            Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeedPatcher.PatchFile(path, "GLIBCXX_3.4.32"));
            Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionNeedPatcher.PatchFile(path, "GLIBCXX_3.4.32"));
        }
        finally { File.Delete(path); }
    }

    /// <summary>The copies the build produced for this very test run are patched (otherwise torch would not load).</summary>
    [Fact]
    public void Every_libLibTorchSharp_copy_in_the_output_folder_is_weak()
    {
        var copies = Directory.EnumerateFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(copies);
        Assert.Contains(copies, c => c.Contains($"{Path.DirectorySeparatorChar}cpu{Path.DirectorySeparatorChar}"));
        foreach (var c in copies)
            Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionNeedPatcher.Patch(File.ReadAllBytes(c), "GLIBCXX_3.4.32", c));
    }
}
