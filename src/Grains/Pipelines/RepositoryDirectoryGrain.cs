using System.Text;

namespace Seismo.Grains.Pipelines;

[GenerateSerializer]
public sealed class RepositoryDirectoryState
{
    /// <summary>Project slug, lower-case (gh/acme/cool-project) → Seismo project.</summary>
    [Id(0)] public Dictionary<string, Guid> Projects { get; set; } = [];
}

/// <summary>
/// An account's repositories, keyed by the account id. Single-threaded, so two first reports of one repository
/// arriving together create one project.
/// </summary>
public sealed class RepositoryDirectoryGrain(
    [PersistentState("repositories", "Default")] IPersistentState<RepositoryDirectoryState> state) : Grain, IRepositoryDirectoryGrain
{
    public async Task<Guid?> ResolveAsync(string slug, string repository, Guid? ownProject, int maxRepositories)
    {
        if (state.State.Projects.TryGetValue(slug, out var known)) return known;
        if (maxRepositories > 0 && state.State.Projects.Count >= maxRepositories) return null;
        var projectId = ownProject ?? await CreateProjectAsync(repository);
        state.State.Projects[slug] = projectId;
        await state.WriteStateAsync();
        return projectId;
    }

    public async Task ForgetProjectAsync(Guid projectId)
    {
        var slugs = state.State.Projects.Where(p => p.Value == projectId).Select(p => p.Key).ToList();
        if (slugs.Count == 0) return;
        foreach (var slug in slugs) state.State.Projects.Remove(slug);
        await state.WriteStateAsync();
    }

    public Task<Guid?> FindAsync(string slug) =>
        Task.FromResult(state.State.Projects.TryGetValue(slug, out var id) ? id : (Guid?)null);

    public Task<Dictionary<string, Guid>> ListAsync(string? orgSlug) => Task.FromResult(state.State.Projects
        .Where(p => orgSlug is null || p.Key.StartsWith(orgSlug + "/", StringComparison.Ordinal))
        .ToDictionary(p => p.Key, p => p.Value));

    // Named after the repository; the slug follows the projects API's rule ("acme/cool-project" → "acme-cool-project").
    private async Task<Guid> CreateProjectAsync(string repository)
    {
        var accountId = this.GetPrimaryKey();
        var account = GrainFactory.GetGrain<IAccountGrain>(accountId);
        var existing = await Task.WhenAll(((await account.GetAsync())?.ProjectIds ?? []).Select(id => GrainFactory.GetGrain<IProjectGrain>(id).GetAsync()));
        var taken = existing.OfType<ProjectInfo>().Select(p => p.Slug).ToHashSet();
        var id = Guid.NewGuid();
        await GrainFactory.GetGrain<IProjectGrain>(id).CreateAsync(accountId, repository, UniqueSlug(repository, taken));
        await account.AddProjectAsync(id);
        return id;
    }

    private static string UniqueSlug(string name, HashSet<string> taken)
    {
        var sb = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        if (slug.Length == 0) slug = "repository";
        if (slug.Length > 60) slug = slug[..60].TrimEnd('-');
        var candidate = slug;
        for (var n = 2; taken.Contains(candidate); n++) candidate = $"{slug}-{n}";
        return candidate;
    }
}
