using Spectre.Console;
using Spectre.Console.Rendering;

namespace Seismo.Cli.Hosting;

/// <summary>
/// The CLI's one voice. On a terminal it uses Spectre.Console (colour, tables, live progress); otherwise every message
/// is a plain line without escape codes, so CI logs stay readable. Safe to call from several threads: the wrapped
/// command's output and live notices interleave by whole writes.
/// </summary>
public sealed class CliConsole
{
    private readonly object _gate = new();
    private readonly CliHost _host;

    public CliConsole(CliHost host, bool forcePlain = false)
    {
        _host = host;
        IsRich = host.IsTerminal && !forcePlain;
        if (IsRich)
        {
            Ansi = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(host.Out),
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
                Interactive = InteractionSupport.Detect,
            });
        }
    }

    /// <summary>True when writing to a terminal: markup, tables and progress bars.</summary>
    public bool IsRich { get; }

    /// <summary>Set exactly when <see cref="IsRich"/>.</summary>
    public IAnsiConsole? Ansi { get; }

    /// <summary>A message of the CLI's own; <paramref name="markup"/> is its coloured form on a terminal.</summary>
    public void Info(string text, string? markup = null)
    {
        lock (_gate)
        {
            if (Ansi is not null) Ansi.MarkupLine(markup ?? Markup.Escape(text));
            else _host.Out.WriteLine(text);
        }
    }

    public void Warn(string text)
    {
        lock (_gate)
        {
            if (Ansi is not null) Ansi.MarkupLine($"[yellow]seismo: {Markup.Escape(text)}[/]");
            else _host.Error.WriteLine("seismo: warning: " + text);
        }
    }

    public void Fail(string text)
    {
        lock (_gate)
        {
            if (Ansi is not null) Ansi.MarkupLine($"[red]seismo: {Markup.Escape(text)}[/]");
            else _host.Error.WriteLine("seismo: error: " + text);
        }
    }

    /// <summary>Raw text from the wrapped command, passed through unchanged.</summary>
    public void Passthrough(string text, bool toError)
    {
        lock (_gate)
        {
            var writer = toError ? _host.Error : _host.Out;
            writer.Write(text);
            writer.Flush();
        }
    }

    public void Render(IRenderable renderable)
    {
        lock (_gate) Ansi!.Write(renderable);
    }

    /// <summary>A table: Spectre's on a terminal, columns padded with spaces otherwise. Right-aligned columns are numbers.</summary>
    public void Table(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, ISet<int>? rightAligned = null)
    {
        rightAligned ??= new HashSet<int>();
        if (Ansi is not null)
        {
            var table = new Table().Border(TableBorder.Rounded);
            for (var i = 0; i < headers.Count; i++)
                table.AddColumn(new TableColumn(Markup.Escape(headers[i])) { Alignment = rightAligned.Contains(i) ? Justify.Right : Justify.Left });
            foreach (var row in rows) table.AddRow(row.Select(c => new Text(c)).ToArray<IRenderable>());
            Render(table);
            return;
        }
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) =>
            i == cells.Count - 1 && !rightAligned.Contains(i) ? c : rightAligned.Contains(i) ? c.PadLeft(widths[i]) : c.PadRight(widths[i])));
        lock (_gate)
        {
            _host.Out.WriteLine(Line(headers));
            foreach (var row in rows) _host.Out.WriteLine(Line(row));
        }
    }
}
