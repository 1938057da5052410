using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>
/// An account's overview (keyed by the account id), kept on write: each project sends its bounded aggregate after
/// every accepted run, whatever the source (/collect, uploads, REST), and the overview composes the account's
/// figures from those, so reading it costs the same however long the history. Projects without an environment
/// belong to the implicit environment <see cref="DefaultEnvironmentId"/>.
/// </summary>
public interface IOverviewGrain : IGrainWithGuidKey
{
    public const string DefaultEnvironmentId = "default";
    public const string DefaultEnvironmentName = "Default";

    /// <summary>The project's aggregate now; an older snapshot than the one held (by sequence) is ignored.</summary>
    [OneWay]
    Task UpdateProjectAsync(Guid projectId, string projectName, ProjectOverview overview);

    /// <summary>Creates or renames an environment; an environment counts in the overview even without projects.</summary>
    Task SetEnvironmentAsync(string envId, string envName);

    /// <summary>Removes an environment; its projects go back to the implicit environment.</summary>
    Task RemoveEnvironmentAsync(string envId);

    /// <summary>Moves a project into an environment; a null <paramref name="envId"/> means the implicit one.</summary>
    Task SetProjectEnvironmentAsync(Guid projectId, string? envId, string? envName);

    /// <summary>A deleted project: its figures leave the overview.</summary>
    Task RemoveProjectAsync(Guid projectId);

    /// <summary>Each known project's environment id (the implicit one for projects without).</summary>
    [AlwaysInterleave]
    Task<Dictionary<Guid, string>> GetProjectEnvironmentsAsync();

    /// <summary>The overview; <paramref name="projectScope"/> limits it to one project (a project key).</summary>
    [AlwaysInterleave]
    Task<OverviewView> GetAsync(Guid? projectScope);
}
