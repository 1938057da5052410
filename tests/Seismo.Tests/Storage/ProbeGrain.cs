namespace Seismo.Tests.Storage;

/// <summary>State persisted by <see cref="ProbeGrain"/> through the "Default" ADO.NET storage.</summary>
[GenerateSerializer]
public sealed class ProbeState
{
    [Id(0)] public string Value { get; set; } = "";
    [Id(1)] public int Writes { get; set; }
}

[GenerateSerializer]
public sealed record ProbeSnapshot(
    [property: Id(0)] string Value,
    [property: Id(1)] int Writes,
    [property: Id(2)] string? ETag,
    [property: Id(3)] bool RecordExists);

public interface IProbeGrain : IGrainWithStringKey
{
    Task<ProbeSnapshot> Read();
    Task<Guid> ActivationId();
    Task Write(string value);
    Task Clear();
    Task Deactivate();
    Task RegisterReminder(string name);
    Task<string[]> ListReminders();
    Task CancelReminder(string name);
}

public sealed class ProbeGrain([PersistentState("probe", "Default")] IPersistentState<ProbeState> state)
    : Grain, IProbeGrain, IRemindable
{
    private readonly Guid activationId = Guid.NewGuid();

    public Task<Guid> ActivationId() => Task.FromResult(activationId);

    public Task<ProbeSnapshot> Read() =>
        Task.FromResult(new ProbeSnapshot(state.State.Value, state.State.Writes, state.Etag, state.RecordExists));

    public async Task Write(string value)
    {
        state.State.Value = value;
        state.State.Writes++;
        await state.WriteStateAsync();
    }

    public Task Clear() => state.ClearStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task RegisterReminder(string name) =>
        this.RegisterOrUpdateReminder(name, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));

    public async Task<string[]> ListReminders() =>
        (await this.GetReminders()).Select(r => r.ReminderName).Order().ToArray();

    public async Task CancelReminder(string name)
    {
        if (await this.GetReminder(name) is { } reminder) await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
