namespace Vhw.Transform.Kernels;

/// <summary>A kernel's input query failed or returned rows the kernel cannot use (the runner names the model).</summary>
public sealed class KernelException(string message) : Exception(message);
