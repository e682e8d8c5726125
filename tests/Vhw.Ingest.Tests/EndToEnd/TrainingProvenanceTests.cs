using Vhw.Ingest.Default;
using Vhw.Ingest.Storage.Rows;
using Vhw.Ingest.Worker;
using Vhw.Transform;

namespace Vhw.Ingest.Tests.EndToEnd;

/// <summary>A model folder's training.json goes verbatim into models.training_json; staging parses its fields.</summary>
public sealed class TrainingProvenanceTests
{
    [Fact]
    public void Training_json_is_stored_verbatim_for_the_model_that_has_one_and_null_for_the_other()
    {
        string root = Directory.CreateTempSubdirectory("vhw-provenance-").FullName;
        try { Run(root); }
        finally { Directory.Delete(root, recursive: true); }
    }

    private static void Run(string root)
    {
        var assets = DefaultAssets.Create(Path.Combine(root, "default"), seed: 5, samples: 3);
        string trained = Path.Combine(root, "trained"), warehouse = Path.Combine(root, "warehouse");
        Directory.CreateDirectory(trained);
        foreach (var f in Directory.GetFiles(assets.ModelDir)) File.Copy(f, Path.Combine(trained, Path.GetFileName(f)));
        string json = "{\n  \"Name\": \"trained\",\n  \"Scale\": \"s1\",\n  \"Parameters\": 12,\n  \"Stage2Steps\": 5000,\n  \"TrainSeconds\": 888.3\n}";
        File.WriteAllText(Path.Combine(trained, ModelRow.TrainingFileName), json);

        var values = new Dictionary<string, string?>
        {
            ["Models:0"] = assets.ModelDir, ["Models:1"] = trained, ["Benchmarks:0"] = assets.BenchmarkDir, ["Warehouse"] = warehouse,
        };
        using (var host = IngestHost.Build(values, configFile: null, showProgress: false))
        {
            var (code, outcome) = IngestHost.RunAsync(host).GetAwaiter().GetResult();
            Assert.Equal(0, code);
            Assert.Equal(2, outcome.Jobs.Count);
        }

        var rows = Duck.Query(warehouse, "select model, training_json, n_params from models order by model");
        string plainName = Path.GetFileName(assets.ModelDir), trainedName = Path.GetFileName(trained);
        var byModel = rows.ToDictionary(r => (string)r[0]!);
        Assert.Null(byModel[plainName][1]);
        Assert.Equal(json, byModel[trainedName][1]);
        Assert.Equal(byModel[plainName][2], byModel[trainedName][2]); // the parameter count is the model's, not training.json's

        new TransformRunner().Run(warehouse);
        using var q = new QueryRunner(warehouse);
        var parsed = q.Run($"select training_scale, train_seconds, stage2_steps, stage1_steps from stg_models where model = '{trainedName}'");
        Assert.Equal(new object?[] { "s1", 888.3, 5000, null }, parsed.Rows.Single());
        var members = q.Run("select model, role from zoo_members order by model");
        Assert.Equal([trainedName], members.Rows.Select(r => (string)r[0]!));
    }
}
