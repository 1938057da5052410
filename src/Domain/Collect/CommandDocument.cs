namespace Seismo.Domain.Collect;

/// <summary>A valid command.json (see the collect contract). <see cref="Env"/> and <see cref="Tags"/> are empty when absent.</summary>
public sealed record CommandDocument(
    IReadOnlyList<string> Command,
    string User,
    int ReturnCode,
    long ExecutionTimeMs,
    DateTimeOffset? Executed,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<string> Tags);

public enum CommandJsonFailure
{
    None,
    /// <summary>Readable JSON object, but required fields are absent or null (HTTP 422).</summary>
    MissingFields,
    /// <summary>Not UTF-8, not JSON, not an object, or a field of the wrong type or value (HTTP 400). Wins over missing fields.</summary>
    Malformed,
}

public enum CommandJsonProblemKind { Missing, Malformed }

/// <summary>One problem; <see cref="Field"/> is a JSON path such as "command[2]" or "env.HOME", or "" for the whole document.</summary>
public sealed record CommandJsonProblem(string Field, CommandJsonProblemKind Kind, string Message);

public sealed class CommandJsonResult
{
    private CommandJsonResult(CommandDocument? document, IReadOnlyList<CommandJsonProblem> problems)
    {
        Document = document;
        Problems = problems;
    }

    /// <summary>Set exactly when <see cref="IsValid"/>.</summary>
    public CommandDocument? Document { get; }

    public IReadOnlyList<CommandJsonProblem> Problems { get; }

    public bool IsValid => Document is not null;

    public CommandJsonFailure Failure =>
        IsValid ? CommandJsonFailure.None
        : Problems.Any(p => p.Kind == CommandJsonProblemKind.Malformed) ? CommandJsonFailure.Malformed
        : CommandJsonFailure.MissingFields;

    /// <summary>Names of the absent required fields, in contract order.</summary>
    public IReadOnlyList<string> MissingFields =>
        [.. Problems.Where(p => p.Kind == CommandJsonProblemKind.Missing).Select(p => p.Field)];

    /// <summary>One client-facing message: the missing fields together, or every problem in order.</summary>
    public string Message => Failure switch
    {
        CommandJsonFailure.None => "",
        CommandJsonFailure.MissingFields when MissingFields is [var only] => $"command.json is missing the required field '{only}'.",
        CommandJsonFailure.MissingFields => $"command.json is missing the required fields {string.Join(", ", MissingFields.Select(f => $"'{f}'"))}.",
        _ => string.Join(" ", Problems.Select(p => p.Message)),
    };

    internal static CommandJsonResult Valid(CommandDocument document) => new(document, []);

    internal static CommandJsonResult Invalid(IReadOnlyList<CommandJsonProblem> problems) => new(null, problems);
}
