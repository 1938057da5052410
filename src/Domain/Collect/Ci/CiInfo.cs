namespace Seismo.Domain.Collect.Ci;

/// <summary>
/// What the CI environment says about a run. <see cref="Provider"/> is one of github-actions, gitlab, buildkite,
/// circleci, jenkins, azure-pipelines, bitbucket, or null outside a known CI. <see cref="BuildId"/> identifies the
/// whole pipeline run (shared by its jobs); <see cref="BuildUrl"/> is the most specific page (job if known).
/// <see cref="RunAttempt"/> is 1-based. Branch has no refs/heads/ prefix and is null for tag builds.
/// </summary>
public sealed record CiInfo(
    string? Provider,
    string? CommitSha,
    string? Branch,
    string? BuildId,
    string? BuildUrl,
    string? JobName,
    string? Repository,
    string? RunAttempt,
    string? PullRequest)
{
    public static CiInfo None { get; } = new(null, null, null, null, null, null, null, null, null);
}
