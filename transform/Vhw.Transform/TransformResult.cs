namespace Vhw.Transform;

/// <summary>What one <see cref="TransformRunner.Run"/> built.</summary>
public sealed record TransformResult(
    string WarehouseRoot,
    string DatabasePath,
    IReadOnlyList<ModelRunResult> Models,
    TimeSpan Elapsed);

/// <summary>One model: its name (= file name), layer, view or table, rows it holds after the run (-1: a view past
/// staging, not counted), and build time.</summary>
public sealed record ModelRunResult(
    string Name,
    string Layer,
    string Materialization,
    string SqlFile,
    long RowCount,
    TimeSpan Elapsed);
