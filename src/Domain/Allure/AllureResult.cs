namespace Seismo.Domain.Allure;

/// <summary>Allure's test statuses; anything else a result file says (or no status) reads as <see cref="Unknown"/>.</summary>
public enum AllureStatus : byte { Passed, Failed, Broken, Skipped, Unknown }

/// <summary>One step of a result, with its own steps; a failing step's message and trace explain a failure.</summary>
public sealed record AllureStep(string Name, AllureStatus Status, string? Message, string? Trace, IReadOnlyList<AllureStep> Steps);

/// <summary>
/// One <c>*-result.json</c>: one execution of one test. Strings come from an untrusted upload and are capped
/// (see <see cref="AllureReader"/>).
/// </summary>
public sealed record AllureResult(
    string FileName,
    string Name,
    string? FullName,
    string? HistoryId,
    string? TestCaseId,
    AllureStatus Status,
    string? Message,
    string? Trace,
    bool Flaky,
    long? Start,
    long? Stop,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    IReadOnlyList<AllureStep> Steps)
{
    public double DurationMs => Start is { } start && Stop is { } stop && stop >= start ? stop - start : 0;

    public string? Label(string name) => Labels.FirstOrDefault(l => l.Key == name).Value;
}
