// Marks one symbol-version requirement of an ELF64 shared object as weak (VER_FLG_WEAK).
//
// Why: TorchSharp's libLibTorchSharp.so lists GLIBCXX_3.4.32 in its SHT_GNU_verneed section for a
// single unused marker symbol. Debian 12's libstdc++ stops at 3.4.30, so the dynamic loader refuses the
// library. A weak version need is only reported as a warning, and the library loads.
//
// This file is compiled twice: by MSBuild's RoslynCodeTaskFactory (Directory.Build.targets, as the
// `WeakenElfVersionNeed` task) and by the test project (with VHW_NO_MSBUILD defined), so the code the
// build runs is the code the tests check.
//
// Layout (System V gABI + GNU symbol versioning), little-endian ELF64 only:
//   ELF header: e_shoff u64 @0x28, e_shentsize u16 @0x3A, e_shnum u16 @0x3C
//   Shdr (64 B): sh_type u32 @4, sh_offset u64 @24, sh_size u64 @32, sh_link u32 @40, sh_info u32 @44
//   Verneed (16 B): vn_cnt u16 @2, vn_aux u32 @8, vn_next u32 @12
//   Vernaux (16 B): vna_flags u16 @4, vna_name u32 @8, vna_next u32 @12
using System;
using System.IO;
using System.Text;

namespace Vhw.Build
{
    public enum ElfPatchOutcome { Patched, AlreadyWeak, VersionNotRequired }

    public static class ElfVersionNeedPatcher
    {
        public const uint ShtGnuVerneed = 0x6ffffffe;
        public const ushort VerFlgWeak = 0x2;

        /// <summary>Sets VER_FLG_WEAK on the Vernaux named <paramref name="version"/> in the file, in place.</summary>
        public static ElfPatchOutcome PatchFile(string path, string version)
        {
            byte[] image = File.ReadAllBytes(path);
            ElfPatchOutcome outcome = Patch(image, version, out long flagsOffset, path);
            if (outcome == ElfPatchOutcome.Patched)
            {
                // Rewrite only the two flag bytes: the file is never half-written.
                using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write))
                {
                    fs.Position = flagsOffset;
                    fs.Write(image, (int)flagsOffset, 2);
                }
            }
            return outcome;
        }

        /// <summary>Patches the ELF image in memory. Idempotent: a second call returns AlreadyWeak.</summary>
        public static ElfPatchOutcome Patch(byte[] elf, string version, string nameForErrors = "<memory>")
            => Patch(elf, version, out _, nameForErrors);

        static ElfPatchOutcome Patch(byte[] elf, string version, out long flagsOffset, string nameForErrors)
        {
            flagsOffset = -1;
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException($"{nameForErrors}: not an ELF file");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException($"{nameForErrors}: only little-endian ELF64 is supported");

            ulong shoff = U64(elf, 0x28, nameForErrors);
            ushort shentsize = U16(elf, 0x3A, nameForErrors);
            ushort shnum = U16(elf, 0x3C, nameForErrors);
            if (shentsize < 64) throw new InvalidDataException($"{nameForErrors}: e_shentsize {shentsize} < 64");

            bool sawVersion = false;
            for (int i = 0; i < shnum; i++)
            {
                long sh = Checked(shoff + (ulong)(i * shentsize), 64, elf, nameForErrors, "section header");
                if (U32(elf, sh + 4, nameForErrors) != ShtGnuVerneed) continue;

                long secOff = (long)U64(elf, sh + 24, nameForErrors);
                uint link = U32(elf, sh + 40, nameForErrors);
                uint count = U32(elf, sh + 44, nameForErrors);
                long strSh = Checked(shoff + (ulong)(link * shentsize), 64, elf, nameForErrors, "sh_link section header");
                long strOff = (long)U64(elf, strSh + 24, nameForErrors);

                long vn = secOff;
                for (uint n = 0; n < count; n++)
                {
                    ushort cnt = U16(elf, vn + 2, nameForErrors);
                    long aux = vn + U32(elf, vn + 8, nameForErrors);
                    for (int a = 0; a < cnt; a++)
                    {
                        string name = CString(elf, strOff + U32(elf, aux + 8, nameForErrors), nameForErrors);
                        if (name == version)
                        {
                            sawVersion = true;
                            ushort flags = U16(elf, aux + 4, nameForErrors);
                            if ((flags & VerFlgWeak) == 0)
                            {
                                ushort weak = (ushort)(flags | VerFlgWeak);
                                elf[aux + 4] = (byte)weak;
                                elf[aux + 5] = (byte)(weak >> 8);
                                flagsOffset = aux + 4;
                                return ElfPatchOutcome.Patched;
                            }
                        }
                        uint next = U32(elf, aux + 12, nameForErrors);
                        if (next == 0) break;
                        aux += next;
                    }
                    uint vnNext = U32(elf, vn + 12, nameForErrors);
                    if (vnNext == 0) break;
                    vn += vnNext;
                }
            }
            return sawVersion ? ElfPatchOutcome.AlreadyWeak : ElfPatchOutcome.VersionNotRequired;
        }

        static long Checked(ulong offset, int size, byte[] elf, string file, string what)
        {
            if (offset + (ulong)size > (ulong)elf.Length)
                throw new InvalidDataException($"{file}: {what} at 0x{offset:x} lies beyond the end of the file");
            return (long)offset;
        }

        // Little-endian reads, bounds-checked (the task factory compiles without System.Memory).
        static ulong Read(byte[] b, long at, int size, string f)
        {
            Checked((ulong)at, size, b, f, "field");
            ulong v = 0;
            for (int i = size - 1; i >= 0; i--) v = (v << 8) | b[at + i];
            return v;
        }
        static ushort U16(byte[] b, long at, string f) => (ushort)Read(b, at, 2, f);
        static uint U32(byte[] b, long at, string f) => (uint)Read(b, at, 4, f);
        static ulong U64(byte[] b, long at, string f) => Read(b, at, 8, f);

        static string CString(byte[] b, long at, string f)
        {
            Checked((ulong)at, 1, b, f, "string");
            int end = Array.IndexOf(b, (byte)0, (int)at);
            if (end < 0) throw new InvalidDataException($"{f}: unterminated string at 0x{at:x}");
            return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
        }
    }

#if !VHW_NO_MSBUILD
    /// <summary>MSBuild task: weakens <see cref="Version"/> in every file of <see cref="Files"/>.</summary>
    public class WeakenElfVersionNeed : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required] public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();
        [Microsoft.Build.Framework.Required] public string Version { get; set; } = "";

        public override bool Execute()
        {
            foreach (var item in Files)
            {
                string path = item.ItemSpec;
                try
                {
                    var outcome = ElfVersionNeedPatcher.PatchFile(path, Version);
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, $"{path}: {Version} {outcome}");
                }
                catch (Exception e) when (e is IOException || e is InvalidDataException)
                {
                    Log.LogError($"{path}: cannot weaken {Version}: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
