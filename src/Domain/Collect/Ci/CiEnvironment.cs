namespace Seismo.Domain.Collect.Ci;

/// <summary>
/// Reads CI metadata from the environment recorded in command.json. Pass the raw environment (before
/// <see cref="Seismo.Domain.Collect.SecretMasker"/>): URL credentials are removed here, and the variables read are not secrets.
/// </summary>
public static class CiEnvironment
{
    /// <summary>Rows per provider: first ("detected by", condition), then each field and the variables it comes from.</summary>
    public static IReadOnlyList<(string Provider, string Field, string Variables)> Table { get; } =
    [
        .. CiProviders.All.SelectMany(p =>
            (IEnumerable<(string, string, string)>)[(p.Id, "(detected by)", p.DetectedBy), .. p.Fields.Select(f => (p.Id, f.Name, f.Variables))]),
    ];

    public static CiInfo Detect(IReadOnlyDictionary<string, string> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var variables = new CiVariables(env);
        var provider = CiProviders.All.FirstOrDefault(p => p.IsActive(variables));
        if (provider is null) return CiInfo.None;

        var values = provider.Fields.ToDictionary(f => f.Name, f => f.Read(variables));
        string? Field(string name) => values.GetValueOrDefault(name);
        return new CiInfo(
            provider.Id,
            Field(nameof(CiInfo.CommitSha)),
            CiVariables.BranchName(Field(nameof(CiInfo.Branch))),
            Field(nameof(CiInfo.BuildId)),
            CiVariables.WithoutCredentials(Field(nameof(CiInfo.BuildUrl))),
            Field(nameof(CiInfo.JobName)),
            Field(nameof(CiInfo.Repository)),
            Field(nameof(CiInfo.RunAttempt)),
            Field(nameof(CiInfo.PullRequest)));
    }
}
