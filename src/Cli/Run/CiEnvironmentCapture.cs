using Seismo.Domain.Collect;
using Seismo.Domain.Collect.Ci;

namespace Seismo.Cli.Run;

/// <summary>
/// The part of the environment command.json carries: the variables CI systems set (what Seismo reads a run's commit,
/// branch and build from, and their neighbours), plus any the user names. Secrets are masked here, with the same
/// <see cref="SecretMasker"/> the server applies, so they never leave the machine.
/// </summary>
public static class CiEnvironmentCapture
{
    private static readonly string[] Prefixes =
    [
        "CI_", "GITHUB_", "RUNNER_", "GITLAB_", "BUILDKITE", "CIRCLE", "JENKINS_", "BUILD_", "GIT_", "CHANGE_", "SYSTEM_",
        "AGENT_", "TF_BUILD", "BITBUCKET_", "TRAVIS", "DRONE", "TEAMCITY_", "APPVEYOR",
    ];

    private static readonly HashSet<string> Names = new(StringComparer.Ordinal) { "CI", "BRANCH_NAME", "JOB_NAME", "NODE_NAME" };

    public static IReadOnlyDictionary<string, string> Capture(IReadOnlyDictionary<string, string> environment, IEnumerable<string> extraNames)
    {
        var extra = new HashSet<string>(extraNames, StringComparer.Ordinal);
        var chosen = environment
            .Where(e => Names.Contains(e.Key) || extra.Contains(e.Key) || Prefixes.Any(p => e.Key.StartsWith(p, StringComparison.Ordinal)))
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        return SecretMasker.Mask(chosen);
    }

    /// <summary>The contract's <c>user</c>: what runs the command, never who ("github-ci", "gitlab-ci", "local-dev").</summary>
    public static string User(IReadOnlyDictionary<string, string> environment) => CiEnvironment.Detect(environment).Provider switch
    {
        null => "local-dev",
        "github-actions" => "github-ci",
        var provider => provider + "-ci",
    };
}
