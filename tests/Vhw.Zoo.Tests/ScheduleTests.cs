using Vhw.Zoo.Training;

namespace Vhw.Zoo.Tests;

public sealed class ScheduleTests
{
    [Fact]
    public void Warmup_rises_to_the_peak_then_cosine_decays_to_a_tenth()
    {
        Assert.Equal(0.1, LrSchedule.At(0, 200, 1.0), 6);      // warmup 10 steps
        Assert.Equal(1.0, LrSchedule.At(9, 200, 1.0), 6);
        Assert.True(LrSchedule.At(100, 200, 1.0) is > 0.1 and < 1.0);
        Assert.Equal(0.1, LrSchedule.At(200, 200, 1.0), 6);
        for (int s = 10; s < 199; s++) Assert.True(LrSchedule.At(s + 1, 200, 1.0) <= LrSchedule.At(s, 200, 1.0));
    }

    [Fact]
    public void The_zoo_lists_four_families_at_four_scales_with_at_least_eight_heads()
    {
        Assert.Equal(16, ZooModelSpec.All.Count);
        Assert.Equal(4, ZooModelSpec.All.Select(s => s.Family).Distinct().Count());
        Assert.All(ZooModelSpec.All, s => Assert.True(s.Heads >= 8 && s.Hidden % s.Heads == 0 && s.Heads % s.KvHeads == 0));
        Assert.All(ZooModelSpec.All.Where(s => s.Family == "llama3"), s => Assert.True(s.KvHeads < s.Heads && s.RopeTheta >= 500000));
    }
}
