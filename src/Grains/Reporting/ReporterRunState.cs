namespace Seismo.Grains.Reporting;

/// <summary>
/// A reported run: its metadata, one result slot per test (a test posted again folds into its slot), what the
/// reporter said beyond the core result, and its suites. <see cref="Sequence"/> is set once the run is in the log.
/// </summary>
[GenerateSerializer]
public sealed class ReporterRunState
{
    [Id(0)] public RunMetadata? Metadata { get; set; }
    [Id(1)] public string Status { get; set; } = "running";
    [Id(2)] public List<TestResult> Results { get; set; } = [];
    [Id(3)] public List<ResultDetail> Details { get; set; } = [];
    [Id(4)] public List<SuiteRecord> Suites { get; set; } = [];
    [Id(5)] public long Sequence { get; set; }

    /// <summary>Passed or failed (in the run log) or cancelled: nothing more is added.</summary>
    public bool IsClosed => Status != "running";
}
