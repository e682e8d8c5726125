using System.Text.Json;

namespace Vhw.Ingest.Storage;

/// <summary>
/// Append-only record of the chunks of one run whose part files are all in place:
/// &lt;root&gt;/_manifests/model=M/benchmark=B/&lt;run_id&gt;.jsonl, one JSON line per completed chunk.
/// A chunk is appended only after every part file of it was renamed into place, so a rerun skips
/// exactly the completed chunks and rewrites (same deterministic names) the others. A torn line (crash
/// mid-append) is dropped on open: that chunk is simply redone.
/// </summary>
public sealed class RunManifest
{
    public sealed record ChunkEntry(int Chunk, int Samples, int Rejects, long HeadFacts, string[] Files);

    readonly string _path;
    readonly PartWriter _writer;
    readonly Dictionary<int, ChunkEntry> _done = new();

    RunManifest(string path, PartWriter writer) { _path = path; _writer = writer; }

    public string Path => _path;
    public IReadOnlyDictionary<int, ChunkEntry> Completed => _done;

    /// <param name="name">File name without extension: the run id, plus the shard for sharded runs.</param>
    public static RunManifest Open(string root, string model, string benchmark, string name, PartWriter? writer = null)
    {
        string dir = PartitionPath.Dir(root, "_manifests", model, benchmark);
        Directory.CreateDirectory(dir);
        var m = new RunManifest(System.IO.Path.Combine(dir, name + ".jsonl"), writer ?? PartWriter.Local);
        if (!File.Exists(m._path))
        {
            // An empty manifest marks the run as started, so `vhw transform` can tell it is incomplete.
            File.WriteAllText(m._path, "");
            return m;
        }

        var valid = new List<string>();
        bool torn = false;
        foreach (var line in File.ReadLines(m._path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            ChunkEntry? e = null;
            try { e = JsonSerializer.Deserialize<ChunkEntry>(line); }
            catch (JsonException) { }
            if (e is null) { torn = true; continue; } // a crash mid-append: that chunk is redone
            m._done[e.Chunk] = e;
            valid.Add(line);
        }
        if (torn)
        {
            string tmp = m._path + PartWriter.TempSuffix;
            File.WriteAllLines(tmp, valid);
            File.Move(tmp, m._path, overwrite: true);
        }
        return m;
    }

    public bool IsDone(int chunk) => _done.ContainsKey(chunk);

    public void MarkDone(ChunkEntry entry)
    {
        _writer.AppendLine(_path, JsonSerializer.Serialize(entry));
        _done[entry.Chunk] = entry;
    }
}
