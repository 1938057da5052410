using System.Globalization;
using static Seismo.Domain.Collect.Ci.CiVariables;

namespace Seismo.Domain.Collect.Ci;

internal sealed record CiField(string Name, string Variables, Func<CiVariables, string?> Read);

internal sealed record CiProvider(string Id, string DetectedBy, Func<CiVariables, bool> IsActive, IReadOnlyList<CiField> Fields);

/// <summary>
/// Each provider's variables, in detection order. The documentation table is generated from the same rules,
/// so the README cannot drift from the code. Jenkins comes last: JENKINS_URL is sometimes set on agents
/// that run other CI systems' jobs.
/// </summary>
internal static class CiProviders
{
    public static IReadOnlyList<CiProvider> All { get; } =
    [
        new("github-actions", "GITHUB_ACTIONS=true", v => v.IsTrue("GITHUB_ACTIONS"),
        [
            new(nameof(CiInfo.CommitSha), "GITHUB_SHA", v => v["GITHUB_SHA"]),
            new(nameof(CiInfo.Branch), "GITHUB_HEAD_REF (pull requests), else GITHUB_REF refs/heads/…, else GITHUB_REF_NAME when GITHUB_REF_TYPE=branch",
                v => v["GITHUB_HEAD_REF"] ?? BranchName(v["GITHUB_REF"]) ?? (v["GITHUB_REF_TYPE"] == "branch" ? v["GITHUB_REF_NAME"] : null)),
            new(nameof(CiInfo.BuildId), "GITHUB_RUN_ID", v => v["GITHUB_RUN_ID"]),
            new(nameof(CiInfo.BuildUrl), "GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID",
                v => Join("/actions/runs/", Join("/", v["GITHUB_SERVER_URL"] ?? "https://github.com", v["GITHUB_REPOSITORY"]), v["GITHUB_RUN_ID"])),
            new(nameof(CiInfo.JobName), "GITHUB_JOB", v => v["GITHUB_JOB"]),
            new(nameof(CiInfo.Repository), "GITHUB_REPOSITORY", v => v["GITHUB_REPOSITORY"]),
            new(nameof(CiInfo.RunAttempt), "GITHUB_RUN_ATTEMPT", v => v["GITHUB_RUN_ATTEMPT"]),
            new(nameof(CiInfo.PullRequest), "GITHUB_REF refs/pull/N/merge", v => PullRequestNumber(v["GITHUB_REF"], "refs/pull/")),
        ]),
        new("gitlab", "GITLAB_CI=true", v => v.IsTrue("GITLAB_CI"),
        [
            new(nameof(CiInfo.CommitSha), "CI_COMMIT_SHA", v => v["CI_COMMIT_SHA"]),
            new(nameof(CiInfo.Branch), "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME, CI_COMMIT_BRANCH, CI_COMMIT_REF_NAME (unless CI_COMMIT_TAG)",
                v => v.First("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_BRANCH") ?? (v["CI_COMMIT_TAG"] is null ? v["CI_COMMIT_REF_NAME"] : null)),
            new(nameof(CiInfo.BuildId), "CI_PIPELINE_ID, CI_JOB_ID", v => v.First("CI_PIPELINE_ID", "CI_JOB_ID")),
            new(nameof(CiInfo.BuildUrl), "CI_JOB_URL, CI_PIPELINE_URL", v => v.First("CI_JOB_URL", "CI_PIPELINE_URL")),
            new(nameof(CiInfo.JobName), "CI_JOB_NAME", v => v["CI_JOB_NAME"]),
            new(nameof(CiInfo.Repository), "CI_PROJECT_PATH", v => v["CI_PROJECT_PATH"]),
            new(nameof(CiInfo.PullRequest), "CI_MERGE_REQUEST_IID", v => v["CI_MERGE_REQUEST_IID"]),
        ]),
        new("buildkite", "BUILDKITE=true", v => v.IsTrue("BUILDKITE"),
        [
            new(nameof(CiInfo.CommitSha), "BUILDKITE_COMMIT (not the placeholder HEAD)", v => v["BUILDKITE_COMMIT"] is "HEAD" ? null : v["BUILDKITE_COMMIT"]),
            new(nameof(CiInfo.Branch), "BUILDKITE_BRANCH", v => v["BUILDKITE_BRANCH"]),
            new(nameof(CiInfo.BuildId), "BUILDKITE_BUILD_NUMBER, BUILDKITE_BUILD_ID", v => v.First("BUILDKITE_BUILD_NUMBER", "BUILDKITE_BUILD_ID")),
            new(nameof(CiInfo.BuildUrl), "BUILDKITE_BUILD_URL", v => v["BUILDKITE_BUILD_URL"]),
            new(nameof(CiInfo.JobName), "BUILDKITE_LABEL", v => v["BUILDKITE_LABEL"]),
            new(nameof(CiInfo.Repository), "BUILDKITE_ORGANIZATION_SLUG/BUILDKITE_PIPELINE_SLUG, else BUILDKITE_PIPELINE_SLUG",
                v => Join("/", v["BUILDKITE_ORGANIZATION_SLUG"], v["BUILDKITE_PIPELINE_SLUG"]) ?? v["BUILDKITE_PIPELINE_SLUG"]),
            new(nameof(CiInfo.RunAttempt), "BUILDKITE_RETRY_COUNT + 1", v => OnePlus(v["BUILDKITE_RETRY_COUNT"])),
            new(nameof(CiInfo.PullRequest), "BUILDKITE_PULL_REQUEST (unless false)", v => v["BUILDKITE_PULL_REQUEST"] is "false" ? null : v["BUILDKITE_PULL_REQUEST"]),
        ]),
        new("circleci", "CIRCLECI=true", v => v.IsTrue("CIRCLECI"),
        [
            new(nameof(CiInfo.CommitSha), "CIRCLE_SHA1", v => v["CIRCLE_SHA1"]),
            new(nameof(CiInfo.Branch), "CIRCLE_BRANCH", v => v["CIRCLE_BRANCH"]),
            new(nameof(CiInfo.BuildId), "CIRCLE_WORKFLOW_ID (shared by the workflow's jobs), else CIRCLE_BUILD_NUM",
                v => v.First("CIRCLE_WORKFLOW_ID", "CIRCLE_BUILD_NUM")),
            new(nameof(CiInfo.BuildUrl), "CIRCLE_BUILD_URL", v => v["CIRCLE_BUILD_URL"]),
            new(nameof(CiInfo.JobName), "CIRCLE_JOB", v => v["CIRCLE_JOB"]),
            new(nameof(CiInfo.Repository), "CIRCLE_PROJECT_USERNAME/CIRCLE_PROJECT_REPONAME",
                v => Join("/", v["CIRCLE_PROJECT_USERNAME"], v["CIRCLE_PROJECT_REPONAME"])),
            new(nameof(CiInfo.PullRequest), "CIRCLE_PR_NUMBER, else CIRCLE_PULL_REQUEST …/pull/N",
                v => v["CIRCLE_PR_NUMBER"] ?? PullRequestNumber(v["CIRCLE_PULL_REQUEST"], "/pull/")),
        ]),
        new("azure-pipelines", "TF_BUILD=True", v => v.IsTrue("TF_BUILD"),
        [
            new(nameof(CiInfo.CommitSha), "BUILD_SOURCEVERSION", v => v["BUILD_SOURCEVERSION"]),
            new(nameof(CiInfo.Branch), "SYSTEM_PULLREQUEST_SOURCEBRANCH (pull requests), else BUILD_SOURCEBRANCH, else BUILD_SOURCEBRANCHNAME",
                v => BranchName(v["SYSTEM_PULLREQUEST_SOURCEBRANCH"])
                     ?? (v["BUILD_SOURCEBRANCH"] is { } branch ? BranchName(branch) : v["BUILD_SOURCEBRANCHNAME"])),
            new(nameof(CiInfo.BuildId), "BUILD_BUILDID", v => v["BUILD_BUILDID"]),
            new(nameof(CiInfo.BuildUrl), "SYSTEM_COLLECTIONURI + SYSTEM_TEAMPROJECT + /_build/results?buildId=BUILD_BUILDID",
                v => Join("/_build/results?buildId=", Join("/", v["SYSTEM_COLLECTIONURI"], Escape(v["SYSTEM_TEAMPROJECT"])), v["BUILD_BUILDID"])),
            new(nameof(CiInfo.JobName), "SYSTEM_JOBDISPLAYNAME, AGENT_JOBNAME", v => v.First("SYSTEM_JOBDISPLAYNAME", "AGENT_JOBNAME")),
            new(nameof(CiInfo.Repository), "BUILD_REPOSITORY_NAME", v => v["BUILD_REPOSITORY_NAME"]),
            new(nameof(CiInfo.RunAttempt), "SYSTEM_JOBATTEMPT", v => v["SYSTEM_JOBATTEMPT"]),
            new(nameof(CiInfo.PullRequest), "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER, SYSTEM_PULLREQUEST_PULLREQUESTID",
                v => v.First("SYSTEM_PULLREQUEST_PULLREQUESTNUMBER", "SYSTEM_PULLREQUEST_PULLREQUESTID")),
        ]),
        new("bitbucket", "BITBUCKET_BUILD_NUMBER set", v => v["BITBUCKET_BUILD_NUMBER"] is not null,
        [
            new(nameof(CiInfo.CommitSha), "BITBUCKET_COMMIT", v => v["BITBUCKET_COMMIT"]),
            new(nameof(CiInfo.Branch), "BITBUCKET_BRANCH", v => v["BITBUCKET_BRANCH"]),
            new(nameof(CiInfo.BuildId), "BITBUCKET_BUILD_NUMBER", v => v["BITBUCKET_BUILD_NUMBER"]),
            new(nameof(CiInfo.BuildUrl), "BITBUCKET_GIT_HTTP_ORIGIN/addon/pipelines/home#!/results/BITBUCKET_BUILD_NUMBER",
                v => Join("/addon/pipelines/home#!/results/", v["BITBUCKET_GIT_HTTP_ORIGIN"], v["BITBUCKET_BUILD_NUMBER"])),
            new(nameof(CiInfo.JobName), "BITBUCKET_STEP_UUID", v => v["BITBUCKET_STEP_UUID"]),
            new(nameof(CiInfo.Repository), "BITBUCKET_REPO_FULL_NAME", v => v["BITBUCKET_REPO_FULL_NAME"]),
            new(nameof(CiInfo.PullRequest), "BITBUCKET_PR_ID", v => v["BITBUCKET_PR_ID"]),
        ]),
        new("jenkins", "JENKINS_URL set", v => v["JENKINS_URL"] is not null,
        [
            new(nameof(CiInfo.CommitSha), "GIT_COMMIT", v => v["GIT_COMMIT"]),
            new(nameof(CiInfo.Branch), "CHANGE_BRANCH (pull requests), BRANCH_NAME, GIT_BRANCH without origin/",
                v => v.First("CHANGE_BRANCH", "BRANCH_NAME") ?? WithoutRemote(v["GIT_BRANCH"])),
            new(nameof(CiInfo.BuildId), "BUILD_NUMBER, BUILD_ID", v => v.First("BUILD_NUMBER", "BUILD_ID")),
            new(nameof(CiInfo.BuildUrl), "BUILD_URL", v => v["BUILD_URL"]),
            new(nameof(CiInfo.JobName), "JOB_NAME", v => v["JOB_NAME"]),
            new(nameof(CiInfo.Repository), "GIT_URL as owner/name", v => RepositoryFromGitUrl(v["GIT_URL"])),
            new(nameof(CiInfo.PullRequest), "CHANGE_ID", v => v["CHANGE_ID"]),
        ]),
    ];

    private static string? OnePlus(string? count) =>
        int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < int.MaxValue
            ? (n + 1).ToString(CultureInfo.InvariantCulture)
            : null;

    private static string? Escape(string? segment) => segment is null ? null : Uri.EscapeDataString(segment);
}
