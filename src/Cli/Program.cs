using Seismo.Cli.Hosting;

namespace Seismo.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args) => SeismoCli.RunAsync(args, CliHost.FromProcess());
}
