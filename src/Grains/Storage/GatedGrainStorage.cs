using Orleans.Storage;

namespace Seismo.Grains.Storage;

/// <summary>
/// Grain storage on the <see cref="SqliteGate"/> thread: reads (a grain activating) in the read lane, writes
/// (write-behind) in the background lane.
/// </summary>
public sealed class GatedGrainStorage(IGrainStorage inner, SqliteGate gate) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        gate.RunAsync(SqliteGate.Lane.Read, () => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        gate.RunAsync(SqliteGate.Lane.Background, () => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        gate.RunAsync(SqliteGate.Lane.Background, () => inner.ClearStateAsync(stateName, grainId, grainState));
}
