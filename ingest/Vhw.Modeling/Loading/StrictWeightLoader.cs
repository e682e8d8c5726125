using TorchSharp;
using static TorchSharp.torch;

namespace Vhw.Modeling.Loading;

/// <summary>
/// Strict matching of checkpoint tensors to model parameters through <see cref="CheckpointKeyMap"/>: every
/// expected key present with the right shape, no unexpected keys, no duplicates. Checked from the headers alone,
/// before any weight memory is allocated; errors name the file, the tensor and the shapes. A fused tensor (Phi-3's
/// qkv_proj, gate_up_proj; see <see cref="CheckpointKeyMap.FusedParts"/>) is planned as row blocks of its parts, and its
/// shape must be exactly the parts' rows stacked.
/// </summary>
public static class StrictWeightLoader
{
    public const string LmHeadName = "lm_head.weight";
    private const int MaxListed = 5;

    /// <summary>Matches tensors to <paramref name="expected"/> (model parameter name → shape) or throws.</summary>
    public static WeightPlan Plan(CheckpointFiles files, IReadOnlyList<SafeTensorsFile> opened,
        IReadOnlyDictionary<string, long[]> expected, bool tieWordEmbeddings)
    {
        var problems = new List<CheckpointException>();
        var sources = new Dictionary<string, WeightSource>(StringComparer.Ordinal);
        var layouts = new HashSet<CheckpointLayout>();
        foreach (var file in opened)
            foreach (var info in file.Tensors.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                if (CheckpointKeyMap.IsIgnored(info.Name))
                    continue;
                if (files.WeightMap is { } map && (!map.TryGetValue(info.Name, out var shard)
                        || Path.Combine(files.Folder, shard) != file.Path))
                    problems.Add(new CheckpointException(files.IndexFile!, $"present in shard '{Path.GetFileName(file.Path)}' but weight_map says '{(map.TryGetValue(info.Name, out var s) ? s : "(absent)")}'", info.Name));
                layouts.Add(CheckpointKeyMap.LayoutOf(info.Name));
                string name = CheckpointKeyMap.ToModelName(info.Name);
                if (CheckpointKeyMap.FusedParts(name) is { } parts)
                {
                    PlanFused(file, info, parts, expected, sources, problems);
                    continue;
                }
                if (sources.TryGetValue(name, out var previous))
                {
                    problems.Add(new CheckpointException(file.Path, $"duplicates '{previous.Key}' in {previous.File.Path} (both map to '{name}')", info.Name));
                    continue;
                }
                sources[name] = new WeightSource(file, info.Name);
                if (!expected.TryGetValue(name, out var shape))
                    continue;
                if (!shape.SequenceEqual(info.Shape))
                    problems.Add(new CheckpointException(file.Path, $"shape {info.ShapeText} but the model expects [{string.Join(", ", shape)}]", info.Name));
                else if (!SafeTensorsDtype.IsFloating(info.ScalarType))
                    problems.Add(new CheckpointException(file.Path, $"dtype {info.Dtype} is not a floating type", info.Name));
            }
        if (files.WeightMap is { } wm)
            foreach (var key in wm.Keys.Where(k => opened.All(f => !f.Tensors.ContainsKey(k))).Order(StringComparer.Ordinal))
                problems.Add(new CheckpointException(files.IndexFile!, $"listed in weight_map but absent from shard '{wm[key]}'", key));

        var layout = layouts.Contains(CheckpointLayout.Original) ? CheckpointLayout.Original
            : layouts.Contains(CheckpointLayout.Legacy) ? CheckpointLayout.Legacy : CheckpointLayout.New;
        bool tied = tieWordEmbeddings && !sources.ContainsKey(LmHeadName);
        foreach (var (name, shape) in expected.OrderBy(e => e.Key, StringComparer.Ordinal))
            if (!sources.ContainsKey(name) && !(tied && name == LmHeadName))
                problems.Add(new CheckpointException(files.Describe(),
                    $"missing (expected shape [{string.Join(", ", shape)}])", CheckpointKeyMap.ToCheckpointKey(name, layout)));
        foreach (var (name, source) in sources.OrderBy(s => s.Key, StringComparer.Ordinal))
            if (!expected.ContainsKey(name) && source.Rows is null)
                problems.Add(new CheckpointException(source.File.Path,
                    $"unexpected tensor (no model parameter '{name}'; shape {source.File.Tensors[source.Key].ShapeText})", source.Key));
        if (problems.Count > 0)
            throw Summarize(problems);
        return new WeightPlan(sources.Where(s => expected.ContainsKey(s.Key)).ToDictionary(), layout, tied);
    }

    /// <summary>Plans the row blocks of a fused tensor: one source per part, rows stacked in <paramref name="parts"/> order.</summary>
    private static void PlanFused(SafeTensorsFile file, SafeTensorsTensorInfo info, string[] parts,
        IReadOnlyDictionary<string, long[]> expected, Dictionary<string, WeightSource> sources, List<CheckpointException> problems)
    {
        var shapes = parts.Select(p => expected.TryGetValue(p, out var shape) ? shape : null).ToArray();
        if (shapes.Any(s => s is null || s.Length != 2))
        {
            problems.Add(new CheckpointException(file.Path,
                $"unexpected fused tensor (no model parameters {string.Join(", ", parts)}; shape {info.ShapeText})", info.Name));
            return;
        }
        long rows = shapes.Sum(s => s![0]), cols = shapes[0]![1];
        string stacked = string.Join(" + ", shapes.Select(s => s![0]));
        if (shapes.Any(s => s![1] != cols) || !info.Shape.SequenceEqual([rows, cols]))
            problems.Add(new CheckpointException(file.Path, $"fused shape {info.ShapeText} but the model expects [{rows}, {cols}] (rows {stacked})", info.Name));
        else if (!SafeTensorsDtype.IsFloating(info.ScalarType))
            problems.Add(new CheckpointException(file.Path, $"dtype {info.Dtype} is not a floating type", info.Name));
        long start = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            if (sources.TryGetValue(parts[i], out var previous))
                problems.Add(new CheckpointException(file.Path, $"duplicates '{previous.Key}' in {previous.File.Path} (both provide '{parts[i]}')", info.Name));
            else
                sources[parts[i]] = new WeightSource(file, info.Name, start, shapes[i]![0]);
            start += shapes[i]![0];
        }
    }

    /// <summary>Copies every planned tensor (or row block) into the model's parameter (dtype/device converted by copy_).</summary>
    public static void Load(WeightPlan plan, nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (plan.Sources.TryGetValue(name, out var source))
                source.File.ReadRowsInto(source.Key, source.RowStart, source.Rows, parameter);
            else if (!(plan.TiedLmHead && name == LmHeadName))
                throw new InvalidOperationException($"no planned source for parameter '{name}'");
        }
    }

    private static CheckpointException Summarize(List<CheckpointException> problems)
    {
        var first = problems[0];
        if (problems.Count == 1)
            return first;
        string more = string.Join(" | ", problems.Skip(1).Take(MaxListed).Select(p => p.Message));
        string rest = problems.Count - 1 > MaxListed ? $" | … {problems.Count - 1 - MaxListed} more" : "";
        return new CheckpointException(first.File, $"{first.Detail} ({problems.Count - 1} more problem(s): {more}{rest})", first.Tensor);
    }
}
