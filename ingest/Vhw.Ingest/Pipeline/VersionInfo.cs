using System.Reflection;

namespace Vhw.Ingest.Pipeline;

public static class VersionInfo
{
    public static string Vhw => typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
    public static string TorchSharp => typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown";
}
