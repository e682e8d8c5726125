using System.Buffers.Binary;
using System.Text.Json.Nodes;
using TorchSharp;
using Vhw.Modeling.Loading;
using static TorchSharp.torch;

namespace Vhw.Modeling.Tests;

/// <summary>Every broken checkpoint fails with a one-line message naming the file and the tensor.</summary>
public sealed class LoaderFailureTests
{
    private const string Victim = "language_model.model.layers.1.mlp.up_proj.weight";

    [Fact]
    public void MissingTensorIsNamed()
    {
        string folder = DamagedCopy(tensors => { tensors[Victim].Dispose(); tensors.Remove(Victim); });
        var e = LoadFails(folder);
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains(Victim, e.Message);
        Assert.Contains("missing", e.Message);
        Assert.Contains("[128, 64]", e.Message);
    }

    [Fact]
    public void WrongShapeNamesTensorAndBothShapes()
    {
        string folder = DamagedCopy(tensors => tensors[Victim] = zeros(127, 64));
        var e = LoadFails(folder);
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains(Victim, e.Message);
        Assert.Contains("[127, 64]", e.Message);
        Assert.Contains("[128, 64]", e.Message);
    }

    [Fact]
    public void UnexpectedTensorIsListed()
    {
        string folder = DamagedCopy(tensors => tensors["language_model.model.layers.9.mlp.up_proj.weight"] = zeros(2, 2));
        var e = LoadFails(folder);
        Assert.Contains("unexpected", e.Message);
        Assert.Contains("language_model.model.layers.9.mlp.up_proj.weight", e.Message);
    }

    [Fact]
    public void TruncatedFileNamesFileAndTensor()
    {
        string folder = TinyModels.CopyOf(TinyModels.Folder(2));
        string path = Path.Combine(folder, "model.safetensors");
        var (header, _) = SafeTensorsSurgery.Split(path);
        string last = header.Where(p => p.Key != "__metadata__")
            .OrderBy(p => (long)p.Value!["data_offsets"]![1]!).Last().Key;
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(stream.Length - 100);
        var e = LoadFails(folder);
        Assert.Contains(path, e.Message);
        Assert.Contains(last, e.Message);
        Assert.Contains("out of range", e.Message);
    }

    [Fact]
    public void BadHeaderLengthNamesFile()
    {
        string folder = TinyModels.CopyOf(TinyModels.Folder(2));
        string path = Path.Combine(folder, "model.safetensors");
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)bytes.Length * 4);
        File.WriteAllBytes(path, bytes);
        var e = LoadFails(folder);
        Assert.Contains(path, e.Message);
        Assert.Contains("header length", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void OffsetsOutOfRangeNameTheTensor()
    {
        string folder = TinyModels.CopyOf(TinyModels.Folder(2));
        string path = Path.Combine(folder, "model.safetensors");
        var (header, data) = SafeTensorsSurgery.Split(path);
        var offsets = header[Victim]!["data_offsets"]!.AsArray();
        long size = (long)offsets[1]! - (long)offsets[0]!;
        header[Victim]!["data_offsets"] = new JsonArray(data.Length + 8, data.Length + 8 + size);
        SafeTensorsSurgery.Join(path, header, data);
        var e = LoadFails(folder);
        Assert.Contains(path, e.Message);
        Assert.Contains(Victim, e.Message);
        Assert.Contains("out of range", e.Message);
    }

    [Fact]
    public void SizeMismatchBetweenDtypeAndOffsetsIsNamed()
    {
        string folder = TinyModels.CopyOf(TinyModels.Folder(2));
        string path = Path.Combine(folder, "model.safetensors");
        var (header, data) = SafeTensorsSurgery.Split(path);
        header[Victim]!["dtype"] = "F16";
        SafeTensorsSurgery.Join(path, header, data);
        var e = LoadFails(folder);
        Assert.Contains(Victim, e.Message);
        Assert.Contains("needs", e.Message);
    }

    [Fact]
    public void PickleOnlyFolderIsRefused()
    {
        string folder = TinyModels.TempFolder();
        File.Copy(Path.Combine(TinyModels.Folder(2), "config.json"), Path.Combine(folder, "config.json"));
        File.WriteAllBytes(Path.Combine(folder, "pytorch_model.bin"), [0x80, 0x02, 0x7d, 0x71]);
        var e = LoadFails(folder);
        Assert.Contains("pickle", e.Message);
        Assert.Contains("pytorch_model.bin", e.Message);
    }

    [Fact]
    public void SafetensorsWinOverPickleInTheSameFolder()
    {
        string folder = TinyModels.CopyOf(TinyModels.Folder(2));
        File.WriteAllBytes(Path.Combine(folder, "pytorch_model.bin"), [0x80, 0x02]);
        using var loaded = LlavaCheckpoint.Load(folder);
        Assert.Equal(TinyModels.Model(2).WeightsSha256, loaded.WeightsSha256);
    }

    private static string DamagedCopy(Action<Dictionary<string, Tensor>> edit)
    {
        string folder = TinyModels.CopyOf(TinyModels.Folder(2));
        SafeTensorsSurgery.Rewrite(Path.Combine(folder, "model.safetensors"), edit);
        return folder;
    }

    private static CheckpointException LoadFails(string folder) =>
        Assert.Throws<CheckpointException>(() => LlavaCheckpoint.Load(folder).Dispose());
}
