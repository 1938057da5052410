using Seismo.Domain.Collect.Ci;

namespace Seismo.Tests.Collect;

public sealed class CiEnvironmentTests
{
    [Fact]
    public void GitHub_Actions_push()
    {
        var ci = Detect(
            "GITHUB_ACTIONS=true", "GITHUB_SHA=abc123", "GITHUB_REF=refs/heads/feature/x", "GITHUB_REF_NAME=feature/x",
            "GITHUB_RUN_ID=42", "GITHUB_SERVER_URL=https://github.com", "GITHUB_REPOSITORY=acme/app",
            "GITHUB_JOB=test", "GITHUB_RUN_ATTEMPT=2");

        Assert.Equal(new CiInfo("github-actions", "abc123", "feature/x", "42", "https://github.com/acme/app/actions/runs/42",
            "test", "acme/app", "2", null), ci);
    }

    [Fact]
    public void GitHub_Actions_pull_request_uses_the_head_branch_and_pr_number()
    {
        var ci = Detect("GITHUB_ACTIONS=true", "GITHUB_REF=refs/pull/17/merge", "GITHUB_HEAD_REF=fix-bug", "GITHUB_REF_NAME=17/merge");

        Assert.Equal(("fix-bug", "17"), (ci.Branch, ci.PullRequest));
    }

    [Fact]
    public void GitHub_Actions_tag_build_has_no_branch()
    {
        var ci = Detect("GITHUB_ACTIONS=true", "GITHUB_REF=refs/tags/v1.0", "GITHUB_REF_NAME=v1.0", "GITHUB_REF_TYPE=tag");

        Assert.Null(ci.Branch);
    }

    [Fact]
    public void GitLab_merge_request_pipeline()
    {
        var ci = Detect(
            "GITLAB_CI=true", "CI_COMMIT_SHA=def456", "CI_COMMIT_REF_NAME=feature", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME=feature",
            "CI_PIPELINE_ID=900", "CI_JOB_ID=901", "CI_JOB_URL=https://gitlab.com/g/p/-/jobs/901",
            "CI_PIPELINE_URL=https://gitlab.com/g/p/-/pipelines/900", "CI_JOB_NAME=rspec 1/2", "CI_PROJECT_PATH=g/p",
            "CI_MERGE_REQUEST_IID=5");

        Assert.Equal(new CiInfo("gitlab", "def456", "feature", "900", "https://gitlab.com/g/p/-/jobs/901", "rspec 1/2", "g/p", null, "5"), ci);
    }

    [Fact]
    public void GitLab_tag_pipeline_has_no_branch() =>
        Assert.Null(Detect("GITLAB_CI=true", "CI_COMMIT_REF_NAME=v2", "CI_COMMIT_TAG=v2").Branch);

    [Fact]
    public void Buildkite_with_retry_and_pull_request()
    {
        var ci = Detect(
            "BUILDKITE=true", "BUILDKITE_COMMIT=0a1b2c", "BUILDKITE_BRANCH=main", "BUILDKITE_BUILD_NUMBER=77",
            "BUILDKITE_BUILD_ID=0190-uuid", "BUILDKITE_BUILD_URL=https://buildkite.com/acme/app/builds/77",
            "BUILDKITE_LABEL=:rspec: tests", "BUILDKITE_ORGANIZATION_SLUG=acme", "BUILDKITE_PIPELINE_SLUG=app",
            "BUILDKITE_RETRY_COUNT=1", "BUILDKITE_PULL_REQUEST=12");

        Assert.Equal(new CiInfo("buildkite", "0a1b2c", "main", "77", "https://buildkite.com/acme/app/builds/77",
            ":rspec: tests", "acme/app", "2", "12"), ci);
    }

    [Fact]
    public void Buildkite_placeholders_are_not_values()
    {
        var ci = Detect("BUILDKITE=true", "BUILDKITE_COMMIT=HEAD", "BUILDKITE_PULL_REQUEST=false", "BUILDKITE_PIPELINE_SLUG=app");

        Assert.Equal((null, null, "app"), (ci.CommitSha, ci.PullRequest, ci.Repository));
    }

    [Fact]
    public void CircleCI()
    {
        var ci = Detect(
            "CIRCLECI=true", "CIRCLE_SHA1=c1", "CIRCLE_BRANCH=dev", "CIRCLE_BUILD_NUM=310", "CIRCLE_WORKFLOW_ID=wf-uuid",
            "CIRCLE_BUILD_URL=https://circleci.com/gh/acme/app/310", "CIRCLE_JOB=unit", "CIRCLE_PROJECT_USERNAME=acme",
            "CIRCLE_PROJECT_REPONAME=app", "CIRCLE_PULL_REQUEST=https://github.com/acme/app/pull/88");

        Assert.Equal(new CiInfo("circleci", "c1", "dev", "wf-uuid", "https://circleci.com/gh/acme/app/310", "unit", "acme/app", null, "88"), ci);
    }

    [Fact]
    public void Jenkins_freestyle_strips_origin_and_credentials()
    {
        var ci = Detect(
            "JENKINS_URL=https://ci.example.com/", "GIT_COMMIT=j1", "GIT_BRANCH=origin/release/1.x", "BUILD_NUMBER=15",
            "BUILD_ID=15", "BUILD_URL=https://bot:hunter2@ci.example.com/job/app/15/", "JOB_NAME=app",
            "GIT_URL=git@github.com:acme/app.git");

        Assert.Equal(new CiInfo("jenkins", "j1", "release/1.x", "15", "https://ci.example.com/job/app/15/", "app", "acme/app", null, null), ci);
    }

    [Fact]
    public void Jenkins_multibranch_pull_request_uses_the_change_branch()
    {
        var ci = Detect("JENKINS_URL=https://ci/", "BRANCH_NAME=PR-9", "CHANGE_ID=9", "CHANGE_BRANCH=topic",
            "GIT_URL=https://user:token@github.com/acme/app.git");

        Assert.Equal(("topic", "9", "acme/app"), (ci.Branch, ci.PullRequest, ci.Repository));
    }

    [Fact]
    public void Azure_Pipelines()
    {
        var ci = Detect(
            "TF_BUILD=True", "BUILD_SOURCEVERSION=a2", "BUILD_SOURCEBRANCH=refs/heads/users/jo/fix", "BUILD_SOURCEBRANCHNAME=fix",
            "BUILD_BUILDID=1234", "SYSTEM_COLLECTIONURI=https://dev.azure.com/acme/", "SYSTEM_TEAMPROJECT=My Project",
            "SYSTEM_JOBDISPLAYNAME=Test Linux", "AGENT_JOBNAME=Job", "BUILD_REPOSITORY_NAME=app", "SYSTEM_JOBATTEMPT=1");

        Assert.Equal(new CiInfo("azure-pipelines", "a2", "users/jo/fix", "1234",
            "https://dev.azure.com/acme/My%20Project/_build/results?buildId=1234", "Test Linux", "app", "1", null), ci);
    }

    [Fact]
    public void Azure_Pipelines_pull_request()
    {
        var ci = Detect("TF_BUILD=True", "BUILD_SOURCEBRANCH=refs/pull/3/merge",
            "SYSTEM_PULLREQUEST_SOURCEBRANCH=refs/heads/feature", "SYSTEM_PULLREQUEST_PULLREQUESTID=3");

        Assert.Equal(("feature", "3"), (ci.Branch, ci.PullRequest));
    }

    [Fact]
    public void Bitbucket_Pipelines()
    {
        var ci = Detect(
            "BITBUCKET_BUILD_NUMBER=66", "BITBUCKET_COMMIT=b7", "BITBUCKET_BRANCH=main",
            "BITBUCKET_GIT_HTTP_ORIGIN=http://bitbucket.org/acme/app", "BITBUCKET_STEP_UUID={step-uuid}",
            "BITBUCKET_REPO_FULL_NAME=acme/app", "BITBUCKET_PR_ID=4");

        Assert.Equal(new CiInfo("bitbucket", "b7", "main", "66", "http://bitbucket.org/acme/app/addon/pipelines/home#!/results/66",
            "{step-uuid}", "acme/app", null, "4"), ci);
    }

    [Fact]
    public void Outside_ci_or_with_blank_markers_nothing_is_detected()
    {
        Assert.Equal(CiInfo.None, Detect("HOME=/root", "CI=true"));
        Assert.Equal(CiInfo.None, Detect("GITHUB_ACTIONS=false", "JENKINS_URL= "));
    }

    [Fact]
    public void Table_lists_every_provider_and_the_fields_it_fills()
    {
        var providers = CiEnvironment.Table.Select(row => row.Provider).Distinct();

        Assert.Equal(["github-actions", "gitlab", "buildkite", "circleci", "azure-pipelines", "bitbucket", "jenkins"], providers);
        Assert.Contains(CiEnvironment.Table, row => row is { Provider: "jenkins", Field: "Branch" } && row.Variables.Contains("GIT_BRANCH"));
        Assert.All(CiEnvironment.Table, row => Assert.False(string.IsNullOrWhiteSpace(row.Variables)));
    }

    private static CiInfo Detect(params string[] pairs) =>
        CiEnvironment.Detect(pairs.Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]));
}
