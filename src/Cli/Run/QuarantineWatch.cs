using System.Collections.Concurrent;
using System.Text.Json;
using Seismo.Cli.Hosting;
using Seismo.Cli.Http;
using Seismo.Domain.Identity;

namespace Seismo.Cli.Run;

/// <summary>A test Seismo has quarantined, by the key hash its id carries.</summary>
public sealed record QuarantinedTest(string TestId, string Title);

/// <summary>
/// The project's quarantined tests, kept current while the wrapped command runs: the list is read once at start
/// (<c>GET /api/flakiness?quarantined=true</c>), then <c>test.quarantined</c> and <c>test.unquarantined</c> events from the
/// project's stream update it. The stream is opened before the list is read, so a change between the two is not lost.
/// Tests are matched by the key hash in their id, which the CLI computes with the server's own key function.
/// </summary>
public sealed class QuarantineWatch : IAsyncDisposable
{
    public const string Quarantined = "test.quarantined";
    public const string Unquarantined = "test.unquarantined";

    private readonly ConcurrentDictionary<string, QuarantinedTest> _tests = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly LiveEventStream _stream;
    private readonly CliConsole _console;
    private Task _pump = Task.CompletedTask;

    private QuarantineWatch(LiveEventStream stream, CliConsole console)
    {
        _stream = stream;
        _console = console;
    }

    public int Count => _tests.Count;

    public static async Task<QuarantineWatch> StartAsync(SeismoClient client, Guid? projectId, CliConsole console, CancellationToken ct)
    {
        var stream = await LiveEventStream.OpenAsync(client, projectId, afterSequence: null, ct);
        var watch = new QuarantineWatch(stream, console);
        try
        {
            var list = await client.GetJsonAsync(SeismoClient.Path("api/flakiness", ("projectId", projectId?.ToString()), ("quarantined", "true")), ct);
            foreach (var row in list.GetProperty("data").EnumerateArray())
                if (row.GetProperty("isQuarantined").GetBoolean()) watch.Set(row, quarantined: true);
        }
        catch
        {
            await watch.DisposeAsync();
            throw;
        }
        watch._pump = watch.PumpAsync();
        return watch;
    }

    /// <summary>The quarantined test with this key hash, or null.</summary>
    public QuarantinedTest? Find(string keyHashHex) => _tests.GetValueOrDefault(keyHashHex);

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var e in _stream.ReadAllAsync(_stop.Token))
            {
                if (e.Type is not (Quarantined or Unquarantined) || e.Data.ValueKind != JsonValueKind.Object) continue;
                var quarantined = e.Data.TryGetProperty("isQuarantined", out var q) ? q.GetBoolean() : e.Type == Quarantined;
                var test = Set(e.Data, quarantined);
                if (test is null) continue;
                var by = e.Data.TryGetProperty("automatic", out var a) && a.ValueKind == JsonValueKind.True ? "automatically" : "by a person";
                _console.Info($"seismo: {test.Title} was {(quarantined ? "quarantined" : "released from quarantine")} {by} while the command ran",
                    $"[blue]seismo:[/] {Spectre.Console.Markup.Escape(test.Title)} was {(quarantined ? "quarantined" : "released from quarantine")} {by} while the command ran");
            }
        }
        catch (OperationCanceledException) { }
        catch (SeismoApiException e)
        {
            _console.Warn("the quarantine list stopped following changes: " + e.Message);
        }
    }

    private QuarantinedTest? Set(JsonElement row, bool quarantined)
    {
        var testId = row.TryGetProperty("testId", out var id) ? id.GetString() : null;
        if (!PublicIds.TryParseTestId(testId, out _, out var hash)) return null;
        var test = new QuarantinedTest(testId!, row.TryGetProperty("testTitle", out var t) ? t.GetString() ?? testId! : testId!);
        if (quarantined) _tests[hash] = test;
        else _tests.TryRemove(hash, out _);
        return test;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        await _stream.DisposeAsync();
        _stop.Dispose();
    }
}
