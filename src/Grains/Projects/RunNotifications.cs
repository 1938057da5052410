namespace Seismo.Grains.Projects;

/// <summary>
/// Groups a project's events by run for the notification inbox: a run's own event opens its batch, the label and
/// quarantine changes its results cause join it as their test grains report them, and the batch goes to the inbox
/// <see cref="Window"/> later, so a storm of changes becomes one notification rather than hundreds. Changes without a
/// run (a person's quarantine decision) go alone.
/// </summary>
public sealed class RunNotifications
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, List<LiveEvent>> _open = [];

    /// <summary>Adds an event; returns the key of a batch that has just opened (the caller schedules its close).</summary>
    public string? Add(LiveEvent e, string? runId)
    {
        if (e.Type is EventTypes.NotificationCreated or EventTypes.UploadProgress) return null;
        var key = runId ?? $"event:{e.Id}";
        if (_open.TryGetValue(key, out var batch))
        {
            batch.Add(e);
            return null;
        }
        _open[key] = [e];
        return key;
    }

    public LiveEvent[] Close(string key) => _open.Remove(key, out var batch) ? batch.ToArray() : [];
}
