namespace Vhw.Zoo.Training;

/// <summary>Step-based linear warmup (first 5 % of steps, at least 1) then cosine decay to 10 % of the peak.</summary>
public static class LrSchedule
{
    public static double At(int step, int totalSteps, double peak)
    {
        int warmup = Math.Max(1, totalSteps / 20);
        if (step < warmup) return peak * (step + 1) / warmup;
        double progress = (double)(step - warmup) / Math.Max(1, totalSteps - warmup);
        return peak * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, progress))));
    }
}
