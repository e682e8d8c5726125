namespace Vhw.Cli.Commands;

/// <summary>Bad input becomes one line on stderr and exit code 2, not a stack trace.</summary>
static class CliErrors
{
    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try { return await action(); }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException
                                       or InvalidDataException or InvalidOperationException or IOException or NotSupportedException)
        {
            Console.Error.WriteLine($"vhw: error: {e.Message}");
            return 2;
        }
    }
}
