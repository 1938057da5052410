using Seismo.Domain.Flakiness;

namespace Seismo.Grains.Tests;

/// <summary>The quarantine memory as Orleans stores it (the domain struct knows nothing of Orleans).</summary>
[GenerateSerializer]
public struct QuarantineStateSurrogate
{
    [Id(0)] public bool IsQuarantined;
    [Id(1)] public QuarantineSource Source;
    [Id(2)] public bool HeldOutByPerson;
    [Id(3)] public int CleanRunsNeeded;
    [Id(4)] public int CleanRuns;
}

[RegisterConverter]
public sealed class QuarantineStateConverter : IConverter<QuarantineState, QuarantineStateSurrogate>
{
    public QuarantineState ConvertFromSurrogate(in QuarantineStateSurrogate s) => new()
    {
        IsQuarantined = s.IsQuarantined, Source = s.Source, HeldOutByPerson = s.HeldOutByPerson,
        CleanRunsNeeded = s.CleanRunsNeeded, CleanRuns = s.CleanRuns,
    };

    public QuarantineStateSurrogate ConvertToSurrogate(in QuarantineState q) => new()
    {
        IsQuarantined = q.IsQuarantined, Source = q.Source, HeldOutByPerson = q.HeldOutByPerson,
        CleanRunsNeeded = q.CleanRunsNeeded, CleanRuns = q.CleanRuns,
    };
}
