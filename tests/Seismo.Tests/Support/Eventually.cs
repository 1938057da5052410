namespace Seismo.Tests.Support;

/// <summary>Reads until a condition holds: test grains, aggregates and pipelines apply what they are sent after the answer.</summary>
public static class Eventually
{
    /// <returns>
    /// The first value that satisfies <paramref name="done"/>, or the last one read once <paramref name="within"/> (20 s
    /// by default) is over, for the caller's assertions to report.
    /// </returns>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50);
        }
    }
}
