using System.Text.Json;
using Vhw.Zoo.Training;

namespace Vhw.Zoo.Tests;

/// <summary>training.json records the recipe, peak learning rates included; `vhw zoo` retrains a model whose recipe differs.</summary>
public sealed class TrainingReportTests
{
    private static TrainingReport ReportOf(ZooModelSpec s, double? stage1Lr, double? stage2Lr) =>
        new(s.Name, s.Family, s.Scale, s.Layers, s.Hidden, s.Heads, s.KvHeads, 1000, s.Stage1Steps, s.Stage2Steps, s.BatchSize,
            10.0, 0.5, stage1Lr, stage2Lr);

    [Fact]
    public void A_report_has_the_recipe_of_its_spec_only_with_the_same_learning_rates()
    {
        var spec = ZooModelSpec.Find("vicuna-s2");
        Assert.True(ReportOf(spec, spec.Stage1Lr, spec.Stage2Lr).HasRecipeOf(spec));
        Assert.False(ReportOf(spec, spec.Stage1Lr, spec.Stage2Lr).HasRecipeOf(spec with { Stage2Lr = spec.Stage2Lr * 4 }));
        Assert.False(ReportOf(spec, spec.Stage1Lr, spec.Stage2Lr).HasRecipeOf(spec with { Stage1Lr = spec.Stage1Lr / 2 }));
        Assert.False(ReportOf(spec, spec.Stage1Lr, spec.Stage2Lr).HasRecipeOf(spec with { Stage2Steps = spec.Stage2Steps * 2 }));
        // a record from before the learning rates were written cannot show that it matches
        Assert.False(ReportOf(spec, null, null).HasRecipeOf(spec));
    }

    [Fact]
    public void A_projector_only_stage_1_is_part_of_the_recipe()
    {
        var spec = ZooModelSpec.Find("mistral-s1");
        var projectorOnly = new ZooOptions { Models = ["mistral-s1"], Stage1ProjectorOnly = true }.Selected().Single();
        Assert.False(projectorOnly.Stage1TrainsDecoder);
        Assert.True(new ZooOptions { Models = ["mistral-s1"] }.Selected().Single().Stage1TrainsDecoder);
        // a record written before the field existed trained the decoder in stage 1 too
        var old = ReportOf(spec, spec.Stage1Lr, spec.Stage2Lr);
        Assert.True(old.HasRecipeOf(spec));
        Assert.False(old.HasRecipeOf(projectorOnly));
        Assert.True((old with { Stage1TrainsDecoder = false }).HasRecipeOf(projectorOnly));
        Assert.False((old with { Stage1TrainsDecoder = false }).HasRecipeOf(spec));
        var roundTrip = JsonSerializer.Deserialize<TrainingReport>(JsonSerializer.Serialize(old with { Stage1TrainsDecoder = false }))!;
        Assert.False(roundTrip.Stage1TrainsDecoder);
    }

    [Fact]
    public void The_learning_rate_is_a_function_of_the_scale_not_of_the_member()
    {
        // zoo/README.md "Recipe": the lr is chosen per scale (by mean validation exact match), never per member
        foreach (var scale in ZooModelSpec.All.GroupBy(s => s.Scale))
        {
            Assert.Equal(4, scale.Count());
            Assert.Single(scale.Select(s => (s.Stage1Lr, s.Stage2Lr)).Distinct());
        }
    }

    [Fact]
    public void Every_shipped_member_was_trained_with_the_recipe_in_the_code()
    {
        var files = Directory.GetFiles(ZooPaths.Models, "training.json", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            var report = JsonSerializer.Deserialize<TrainingReport>(File.ReadAllText(file))!;
            Assert.True(report.HasRecipeOf(ZooModelSpec.Find(report.Name)),
                $"{file} records another recipe than ZooModelSpec.All has for {report.Name}: retrain it (make zoo) or restore the recipe");
        }
    }
}
