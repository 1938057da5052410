namespace Seismo.Grains.Overview;

/// <summary>A project as the overview holds it: its name, environment and aggregate.</summary>
[GenerateSerializer]
public sealed class OverviewProject
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public string? EnvId { get; set; }
    [Id(2)] public ProjectOverview Overview { get; set; } = ProjectOverview.Empty;
}

/// <summary>
/// Composes an account's overview from its projects' aggregates: O(projects × (days + recent builds)), never
/// proportional to the number of runs. Plain code.
/// </summary>
public static class OverviewComposer
{
    public const int TopFailing = 5;
    public const int RecentCount = OverviewFold.RecentCount;

    public static OverviewView Compose(
        IReadOnlyDictionary<Guid, OverviewProject> projects, IReadOnlyDictionary<string, string> environments, Guid? scope, int today)
    {
        var chosen = projects.Where(p => scope is null || p.Key == scope).ToList();
        var oldestDay = today - OverviewFold.TrendDays + 1;
        long builds = 0, passed = 0, failed = 0;
        var days = new SortedDictionary<int, DailyTrend>();
        var failing = new List<FailingProject>();
        var recent = new List<OverviewBuild>();
        var envIds = new HashSet<string>(StringComparer.Ordinal);
        if (scope is null) envIds.UnionWith(environments.Keys);

        foreach (var (id, project) in chosen)
        {
            var o = project.Overview;
            var (envId, envName) = EnvironmentOf(project, environments);
            envIds.Add(envId);
            builds += o.Builds;
            passed += o.Passed;
            failed += o.Failed;
            foreach (var d in o.Days)
            {
                if (d.Day < oldestDay || d.Day > today) continue;
                days[d.Day] = days.TryGetValue(d.Day, out var t)
                    ? t with { Passed = t.Passed + d.Passed, Failed = t.Failed + d.Failed, Skipped = t.Skipped + d.Skipped, BuildCount = t.BuildCount + d.Builds }
                    : new DailyTrend(d.Day, d.Passed, d.Failed, d.Skipped, d.Builds);
            }
            if (o.Failed > 0) failing.Add(new FailingProject(envId, envName, id, project.Name, o.Failed, o.Builds, OverviewFold.PassRate(o.Passed, o.Failed)));
            recent.AddRange(o.Recent.Select(b => new OverviewBuild(envId, envName, id, project.Name, b)));
        }

        var summary = new OverviewSummary(envIds.Count, chosen.Count, builds, passed, failed, OverviewFold.PassRate(passed, failed));
        return new OverviewView(
            summary,
            days.Values.ToArray(),
            failing.OrderByDescending(f => f.TotalFailed).ThenBy(f => f.PassRate).ThenBy(f => f.ProjectName, StringComparer.Ordinal).Take(TopFailing).ToArray(),
            recent.OrderByDescending(b => b.Build.CreatedAt).ThenBy(b => b.Build.RunId, StringComparer.Ordinal).Take(RecentCount).ToArray());
    }

    private static (string Id, string Name) EnvironmentOf(OverviewProject project, IReadOnlyDictionary<string, string> environments) =>
        project.EnvId is { } id && environments.TryGetValue(id, out var name)
            ? (id, name)
            : (IOverviewGrain.DefaultEnvironmentId, IOverviewGrain.DefaultEnvironmentName);
}
