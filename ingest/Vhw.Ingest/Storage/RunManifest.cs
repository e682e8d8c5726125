using System.Text.Json;

namespace Vhw.Ingest.Storage;

/// <summary>
/// Append-only record of the chunks of one run whose part files are all in place:
/// &lt;root&gt;/_manifests/model=M/benchmark=B/&lt;run_id&gt;.jsonl, one JSON line per completed chunk.
/// A chunk is appended only after every part file of it was renamed into place, so a rerun skips
/// exactly the completed chunks and rewrites (same deterministic names) anything after the last line.
/// </summary>
public sealed class RunManifest
{
    public sealed record ChunkEntry(int Chunk, int Samples, int Rejects, long HeadFacts, string[] Files);

    readonly string _path;
    readonly Dictionary<int, ChunkEntry> _done = new();

    RunManifest(string path) => _path = path;

    public string Path => _path;
    public IReadOnlyDictionary<int, ChunkEntry> Completed => _done;

    public static RunManifest Open(string root, string model, string benchmark, string runId)
    {
        string dir = PartitionPath.Dir(root, "_manifests", model, benchmark);
        Directory.CreateDirectory(dir);
        var m = new RunManifest(System.IO.Path.Combine(dir, runId + ".jsonl"));
        if (!File.Exists(m._path)) return m;

        var valid = new List<string>();
        bool torn = false;
        foreach (var line in File.ReadLines(m._path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            ChunkEntry? e = null;
            try { e = JsonSerializer.Deserialize<ChunkEntry>(line); }
            catch (JsonException) { }
            if (e is null) { torn = true; break; } // a crash mid-append: that chunk and anything after it is redone
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
        using (var fs = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read))
        using (var w = new StreamWriter(fs))
        {
            w.WriteLine(JsonSerializer.Serialize(entry));
            w.Flush();
            fs.Flush(flushToDisk: true);
        }
        _done[entry.Chunk] = entry;
    }
}
