using System.CommandLine;
using Vhw.Zoo;

namespace Vhw.Cli.Commands;

static class ZooCommand
{
    public static Command Create()
    {
        var root = new Option<string>("--root") { Description = "Working folder (data, shared tokenizer, vision tower, checkpoints, models)", DefaultValueFactory = _ => "artifacts/zoo" };
        var models = new Option<string[]>("--model") { Description = "Zoo member(s) to train, e.g. vicuna-s1 (repeatable; default: every supported member)", AllowMultipleArgumentsPerToken = true };
        var stage1 = new Option<int?>("--stage1-steps") { Description = "Override the stage-1 (caption alignment) steps of every selected model" };
        var stage2 = new Option<int?>("--stage2-steps") { Description = "Override the stage-2 (QA instruction tuning) steps of every selected model" };
        var batch = new Option<int?>("--batch-size") { Description = "Override the batch size of every selected model" };
        var lr = new Option<double?>("--lr") { Description = "Override the peak learning rate (both stages) of every selected model" };
        var projectorOnly = new Option<bool>("--stage1-projector-only") { Description = "Stage 1 trains the projector only (LLaVA's stage 1); by default the zoo's stage 1 trains the untrained decoder too" };
        var evalLimit = new Option<int>("--eval-limit") { Description = "Test samples scored per benchmark", DefaultValueFactory = _ => 300 };
        var fixtures = new Option<string?>("--fixtures") { Description = "Copy finished models into this folder (e.g. zoo/models; 30 MB budget checked)" };
        var budget = new Option<double?>("--time-budget") { Description = "Stop training after this many seconds (checkpoint kept; rerun resumes)" };
        var dataOnly = new Option<bool>("--data-only") { Description = "Write the data (data/) and the shared tokenizer/processor (shared/), then stop: no vision tower, no training" };
        var testDataOnly = new Option<bool>("--test-data-only") { Description = "Write only data/test/{benchmark}/ (what `make demo` ingests; byte-identical to the full data), then stop" };
        var cmd = new Command("zoo", "Train the tiny LLaVA zoo on synthetic VQA (LLaVA recipe, one thread) and evaluate it; rerunning resumes where it stopped.")
        { root, models, stage1, stage2, batch, lr, projectorOnly, evalLimit, fixtures, budget, dataOnly, testDataOnly };
        cmd.SetAction((pr, ct) => CliErrors.Guard(() =>
        {
            var options = new ZooOptions
            {
                Root = pr.GetValue(root)!, Models = pr.GetValue(models) ?? [], Stage1Steps = pr.GetValue(stage1), Stage2Steps = pr.GetValue(stage2),
                BatchSize = pr.GetValue(batch), Lr = pr.GetValue(lr), Stage1ProjectorOnly = pr.GetValue(projectorOnly), EvalLimit = pr.GetValue(evalLimit), FixturesDir = pr.GetValue(fixtures), TimeBudgetSeconds = pr.GetValue(budget),
                DataOnly = pr.GetValue(dataOnly), TestDataOnly = pr.GetValue(testDataOnly),
            };
            try { new ZooRunner(options, m => Console.Error.WriteLine(m)).Run(ct); }
            catch (OperationCanceledException) { Console.Error.WriteLine("vhw zoo: interrupted; rerun to resume"); return Task.FromResult(3); }
            return Task.FromResult(0);
        }));
        return cmd;
    }
}
