namespace Vhw.Ingest.Reliability;

/// <summary>
/// The file operations the warehouse writer needs. Production uses <see cref="LocalWarehouseFiles"/>;
/// the fault-injection tests wrap it to make operations fail.
/// </summary>
public interface IWarehouseFiles
{
    Stream Create(string path);
    void Move(string from, string to);
    void AppendLine(string path, string line);
    void Delete(string path);
}

public sealed class LocalWarehouseFiles : IWarehouseFiles
{
    public static readonly LocalWarehouseFiles Instance = new();

    public Stream Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
    }

    public void Move(string from, string to) => File.Move(from, to, overwrite: true);

    public void AppendLine(string path, string line)
    {
        using var fs = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        using var w = new StreamWriter(fs);
        w.WriteLine(line);
        w.Flush();
        fs.Flush(flushToDisk: true);
    }

    public void Delete(string path) => File.Delete(path);
}
