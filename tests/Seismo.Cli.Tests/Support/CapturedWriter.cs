using System.Text;

namespace Seismo.Cli.Tests.Support;

/// <summary>A thread-safe writer the CLI writes to in tests; a test can await a line appearing.</summary>
public sealed class CapturedWriter : TextWriter
{
    private readonly object _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<(string Needle, TaskCompletionSource Seen)> _waiters = [];

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get { lock (_gate) return _text.ToString(); }
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (value is null) return;
        lock (_gate)
        {
            _text.Append(value);
            var all = _text.ToString();
            foreach (var waiter in _waiters.Where(w => all.Contains(w.Needle, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write(value + "\n");

    /// <summary>Completes when the text contains <paramref name="needle"/>; fails the test after the timeout.</summary>
    public async Task WaitForAsync(string needle, int timeoutSeconds = 20)
    {
        TaskCompletionSource seen;
        lock (_gate)
        {
            if (_text.ToString().Contains(needle, StringComparison.Ordinal)) return;
            seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((needle, seen));
        }
        try
        {
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"'{needle}' did not appear within {timeoutSeconds} s. Output so far:\n{Text}");
        }
    }
}
