using System.Diagnostics;

namespace Vhw.Zoo.Findings;

/// <summary>
/// One measurement of a models folder (zoo/models): its members discovered, the default test split regenerated under
/// <paramref name="Scratch"/>, every member measured, the bars evaluated and reconciled with the folder's
/// shortfalls.json, and the Markdown document. Shared by the must-show tests and `vhw zoo-findings`.
/// </summary>
public sealed record FindingsRun(
    IReadOnlyList<ZooMember> Members, ZooTestData Data, IReadOnlyList<MemberFindings> Findings, IReadOnlyList<BarCheck> Checks,
    IReadOnlyList<Shortfall> Listed, IReadOnlyList<string> ShortfallProblems, string Document, TimeSpan Elapsed)
{
    public static FindingsRun Measure(string modelsDir, FindingsSettings settings, string scratch, string measuredBy,
        Action<string>? log = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var members = ZooMember.Discover(modelsDir);
        var data = ZooTestData.Write(Path.Combine(scratch, "test"), settings.PerBenchmark);
        var findings = ZooFindings.Measure(members, data, settings, Path.Combine(scratch, "ablation"), log, ct);
        var checks = MustShowBars.Evaluate(findings);
        var listed = Shortfalls.Load(Path.Combine(modelsDir, Shortfalls.FileName));
        var problems = Shortfalls.Reconcile(checks, listed, Shortfalls.Tolerance);
        var elapsed = clock.Elapsed;
        return new FindingsRun(members, data, findings, checks, listed, problems,
            FindingsTable.Document(findings, settings, checks, elapsed, measuredBy, problems), elapsed);
    }
}
