using TorchSharp;
using Vhw.Modeling.Default;
using Vhw.Modeling.Loading;
using static TorchSharp.torch;

namespace Vhw.Modeling.Tests;

/// <summary>Tiny checkpoints shared by the runtime tests (created once per test run in temp folders).</summary>
internal static class TinyModels
{
    public const int Vocab = 320;
    public const int ImageToken = 300;
    public const int Eos = 2;

    /// <summary>Prompt with one image placeholder: 6 text tokens + 16 image tokens = 22 positions after expansion.</summary>
    public static readonly long[] Prompt = [1, 17, 42, ImageToken, 99, 123, 7];

    public static TinyLlavaSpec Spec(int kvHeads) => new()
    {
        VocabSize = Vocab, ImageTokenIndex = ImageToken, PadTokenId = 301, EosTokenId = Eos, TextKvHeads = kvHeads, Seed = 7,
    };

    private static readonly Lazy<string> GqaFolder = new(() => Create(Spec(2)));
    private static readonly Lazy<string> MhaFolder = new(() => Create(Spec(4)));
    private static readonly Lazy<LoadedLlava> GqaModel = new(() => LlavaCheckpoint.Load(GqaFolder.Value));
    private static readonly Lazy<LoadedLlava> MhaModel = new(() => LlavaCheckpoint.Load(MhaFolder.Value));

    /// <summary>Folder of the tiny checkpoint with 2 (GQA) or 4 (MHA) KV heads; do not modify it.</summary>
    public static string Folder(int kvHeads) => kvHeads == 2 ? GqaFolder.Value : MhaFolder.Value;

    /// <summary>The loaded tiny model with 2 (GQA) or 4 (MHA) KV heads; shared, do not dispose.</summary>
    public static LoadedLlava Model(int kvHeads) => kvHeads == 2 ? GqaModel.Value : MhaModel.Value;

    /// <summary>This test process's scratch root, removed when the process exits.</summary>
    private static readonly Lazy<string> Root = new(() =>
    {
        string root = Path.Combine(Path.GetTempPath(), "vhw-modeling-tests", $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        };
        return root;
    });

    /// <summary>A fresh empty temp folder.</summary>
    public static string TempFolder()
    {
        string path = Path.Combine(Root.Value, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Copy of a checkpoint folder, safe to damage.</summary>
    public static string CopyOf(string folder)
    {
        string copy = TempFolder();
        foreach (string file in Directory.EnumerateFiles(folder))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    /// <summary>Exact equality of shape, dtype and every element.</summary>
    public static bool Same(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();

    /// <summary>Seeded pixel values (1, 3, 32, 32), roughly CLIP-normalised scale.</summary>
    public static Tensor Pixels(long seed = 3)
    {
        using var generator = new Generator((ulong)seed, CPU);
        return randn([1, 3, 32, 32], ScalarType.Float32, CPU, generator: generator);
    }

    private static string Create(TinyLlavaSpec spec)
    {
        string folder = TempFolder();
        TinyLlava.Create(folder, spec);
        return folder;
    }
}
