namespace Seismo.Domain.Pipelines;

/// <summary>
/// How RunWatch's providers, repositories and statuses map onto CircleCI's project slugs and statuses, and how
/// /collect's CI providers map onto RunWatch's.
/// </summary>
public static class PipelineNames
{
    public static readonly string[] Providers = ["github", "gitlab", "bitbucket", "circleci", "other"];
    public static readonly string[] Statuses = ["success", "failure", "cancelled", "running", "queued", "pending", "skipped", "timed_out"];

    /// <summary>The slug's first segment for a provider: gh, gl, bb, circleci, other.</summary>
    public static string VcsSlug(string provider) => provider switch
    {
        "github" => "gh", "gitlab" => "gl", "bitbucket" => "bb", "circleci" => "circleci", _ => "other",
    };

    /// <summary>The provider a slug's first segment names (short or long form), or null.</summary>
    public static string? ProviderOfVcs(string vcs) => vcs.ToLowerInvariant() switch
    {
        "gh" or "github" => "github",
        "gl" or "gitlab" => "gitlab",
        "bb" or "bitbucket" => "bitbucket",
        "circleci" => "circleci",
        "other" => "other",
        _ => null,
    };

    /// <summary>"gh/acme/cool-project" for github + "acme/cool-project"; deeper GitLab groups keep their path with '~' for '/'.</summary>
    public static string ProjectSlug(string provider, string repository)
    {
        var cut = repository.IndexOf('/');
        var org = repository[..cut];
        var name = repository[(cut + 1)..].Replace('/', '~');
        return $"{VcsSlug(provider)}/{org}/{name}";
    }

    /// <summary>A slug as clients send it, normalised: vcs long forms to short, case kept for org and name.</summary>
    public static string? NormaliseSlug(string vcs, string org, string name) =>
        ProviderOfVcs(vcs) is { } provider && org.Length > 0 && name.Length > 0 ? $"{VcsSlug(provider)}/{org}/{name}" : null;

    /// <summary>/collect's provider names (CiEnvironment) as RunWatch spells them.</summary>
    public static string? ProviderOfCi(string? ciProvider) => ciProvider switch
    {
        null => null,
        "github-actions" => "github",
        "gitlab" => "gitlab",
        "bitbucket" => "bitbucket",
        "circleci" => "circleci",
        _ => "other",
    };

    /// <summary>A RunWatch status as a CircleCI workflow status.</summary>
    public static string WorkflowStatus(string status) => status switch
    {
        "success" => "success",
        "failure" or "timed_out" => "failed",
        "cancelled" => "canceled",
        "skipped" => "not_run",
        _ => "running", // running, queued, pending
    };

    /// <summary>A RunWatch status as a CircleCI job status.</summary>
    public static string JobStatus(string status) => status switch
    {
        "success" => "success",
        "failure" => "failed",
        "cancelled" => "canceled",
        "running" => "running",
        "queued" => "queued",
        "pending" => "not_running",
        "skipped" => "not_run",
        "timed_out" => "timedout",
        _ => "running",
    };

    public static RunOutcome Outcome(string status) => status switch
    {
        "success" => RunOutcome.Success,
        "failure" or "timed_out" => RunOutcome.Failed,
        "cancelled" => RunOutcome.Canceled,
        "skipped" => RunOutcome.NotRun,
        _ => RunOutcome.InProgress,
    };
}
