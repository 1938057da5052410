namespace Seismo.Grains.Teams;

[GenerateSerializer]
public sealed class KeyTeamsState
{
    [Id(0)] public List<Guid> Teams { get; set; } = [];
}

/// <summary>The teams one key created or joined, so GET /api/teams answers without scanning teams.</summary>
public sealed class KeyTeamsGrain([PersistentState("keyteams", "Default")] IPersistentState<KeyTeamsState> state) : Grain, IKeyTeamsGrain
{
    public async Task AddAsync(Guid teamId)
    {
        if (state.State.Teams.Contains(teamId)) return;
        state.State.Teams.Add(teamId);
        await state.WriteStateAsync();
    }

    public Task<Guid[]> ListAsync() => Task.FromResult(state.State.Teams.ToArray());
}
