using Seismo.Bench;

// One command per benchmark; each prints its figures and the ratios measured in the same run.
return args.FirstOrDefault() switch
{
    "ingest" => await IngestBenchmark.RunAsync(args[1..]),
    "cluster" => await ClusterBenchmark.RunAsync(args[1..]),
    "accuracy" => AccuracyBenchmark.Run(args[1..]),
    "live-latency" => await LiveLatencyBenchmark.RunAsync(args[1..]),
    "messaging" => await Messaging(),
    "accuracy-http" => await AccuracyHttpBenchmark.RunAsync(args[1..]),
    "flakiness-index" => await FlakinessIndexBenchmark.RunAsync(args[1..]),
    "overview" => await OverviewBenchmark.RunAsync(args[1..]),
    "reporter" => await ReporterBenchmark.RunAsync(args[1..]),
    "upload-chunked" => await UploadBenchmarks.ChunkedAsync(args[1..]),
    "upload-junit-500k" => await UploadBenchmarks.Junit500kAsync(args[1..]),
    "upload-vs-allure" => await UploadBenchmarks.VersusAllureAsync(args[1..]),
    _ => Usage(),
};

static async Task<int> Messaging()
{
    Console.WriteLine($"Orleans one-way calls to distinct grains (best of 3 rounds): {await MessagingCeiling.MeasureAsync(TimeSpan.FromSeconds(3)):N0} calls/s");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Seismo.Bench -- ingest [--archives N] [--tests N] [--concurrency N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Seismo.Bench -- cluster [--archives N] [--tests N] [--concurrency N] [--projects N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Seismo.Bench -- accuracy [--tests N] [--runs N] [--seed N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Seismo.Bench -- live-latency [--probes N] [--background RESULTS_PER_SECOND]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Seismo.Bench -- messaging");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Seismo.Bench -- accuracy-http [--tests N] [--runs N] [--seed N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Seismo.Bench -- flakiness-index [--tests N] [--rounds N] [--calls N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Seismo.Bench -- overview [--small N] [--medium N] [--large N] [--calls N] [--tests N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Seismo.Bench -- reporter [--tests N] [--concurrency N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Seismo.Bench -- upload-chunked [--mb N] [--chunk-mb N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Seismo.Bench -- upload-junit-500k [--tests N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Seismo.Bench -- upload-vs-allure [--tests N]");
    return 2;
}
