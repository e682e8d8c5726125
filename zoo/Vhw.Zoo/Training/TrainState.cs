using System.Globalization;
using System.Text.Json;

namespace Vhw.Zoo.Training;

/// <summary>
/// Where a run stands: the next (stage, step) to run and the training seconds spent so far (over all sessions).
/// Saved atomically (tmp + rename) together with model.dat and optim.dat, so a killed run resumes from the last save.
/// </summary>
public sealed record TrainState(int Stage, int Step, double Seconds)
{
    public const string FileName = "state.json";

    public static TrainState? Read(string dir)
    {
        string path = Path.Combine(dir, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<TrainState>(File.ReadAllText(path)) : null;
    }

    public void Write(string dir) => AtomicFile.WriteAllText(Path.Combine(dir, FileName), JsonSerializer.Serialize(this));
}

/// <summary>loss.csv: stage,step,lr,loss,seconds — one row per logged step; on resume, rows past the checkpoint are dropped.</summary>
public sealed class LossLog(string path)
{
    public const string Header = "stage,step,lr,loss,seconds";

    public void TruncateAfter(int stage, int step)
    {
        var keep = new List<string> { Header };
        if (File.Exists(path))
            keep.AddRange(File.ReadLines(path).Skip(1).Where(l =>
            {
                var f = l.Split(',');
                int s = int.Parse(f[0], CultureInfo.InvariantCulture), k = int.Parse(f[1], CultureInfo.InvariantCulture);
                return s < stage || (s == stage && k < step);
            }));
        AtomicFile.WriteAllText(path, string.Join("\n", keep) + "\n");
    }

    public void Append(int stage, int step, double lr, double loss, double seconds) =>
        File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture, $"{stage},{step},{lr:0.######},{loss:0.#####},{seconds:0.0}\n"));

    /// <summary>(stage, step, loss) rows.</summary>
    public static List<(int Stage, int Step, double Loss)> Read(string path) =>
        File.ReadLines(path).Skip(1).Select(l => l.Split(','))
            .Select(f => (int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture)))
            .ToList();
}

public static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
