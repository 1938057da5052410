using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Seismo.Domain.Collect;

/// <summary>Reads the fields of a command.json object, collecting every problem instead of stopping at the first.</summary>
internal sealed partial class CommandFields(JsonElement root)
{
    private readonly List<CommandJsonProblem> _problems = [];

    public CommandJsonResult Read()
    {
        var command = Find("command", required: true, out var e) ? StringArray(e, "command", requireOne: true) : null;
        var user = Find("user", required: true, out e) ? Text(e, "user") : null;
        // Up to uint.MaxValue: Windows reports NTSTATUS exit codes such as 3221225477 unsigned; stored as the signed int.
        var returnCode = Find("return_code", required: true, out e) ? Integer(e, "return_code", int.MinValue, uint.MaxValue) : null;
        var executionTime = Find("execution_time_ms", required: true, out e) ? Integer(e, "execution_time_ms", 0, long.MaxValue) : null;
        var executed = Find("executed", required: false, out e) ? Timestamp(e, "executed") : null;
        var env = Find("env", required: false, out e) ? Env(e) : null;
        var tags = Find("tags", required: false, out e) ? StringArray(e, "tags", requireOne: false) : null;

        if (_problems.Count > 0) return CommandJsonResult.Invalid(_problems);
        return CommandJsonResult.Valid(new CommandDocument(
            command!, user!, unchecked((int)returnCode!.Value), executionTime!.Value, executed,
            env ?? new Dictionary<string, string>(StringComparer.Ordinal), tags ?? []));
    }

    private bool Find(string field, bool required, out JsonElement value)
    {
        if (root.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null) return true;
        if (required) _problems.Add(new(field, CommandJsonProblemKind.Missing, $"Required field '{field}' is missing."));
        return false;
    }

    private string? Text(JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.String) return WrongType<string>(field, "a string", e);
        if (TryGetString(e, out var text)) return text;
        return Malformed<string>(field, $"'{field}' contains an invalid \\u escape (a lone surrogate).");
    }

    private List<string>? StringArray(JsonElement e, string field, bool requireOne)
    {
        if (e.ValueKind != JsonValueKind.Array) return WrongType<List<string>>(field, "an array of strings", e);
        if (requireOne && e.GetArrayLength() == 0) return Malformed<List<string>>(field, $"'{field}' must contain at least one string.");
        var items = new List<string>(e.GetArrayLength());
        var index = 0;
        foreach (var item in e.EnumerateArray())
        {
            // The first bad element is enough; a long array of numbers should not produce a long error.
            if (Text(item, $"{field}[{index++}]") is not { } text) return null;
            items.Add(text);
        }
        return items;
    }

    private long? Integer(JsonElement e, string field, long min, long max)
    {
        if (e.ValueKind != JsonValueKind.Number) return WrongType<long?>(field, "an integer", e);
        long value;
        if (e.TryGetInt64(out var whole)) value = whole;
        // Accept 4312.0 or 4.312e3: the value is whole even if its spelling is not.
        else if (e.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue) value = (long)d;
        else if (e.TryGetDecimal(out d) && d != decimal.Truncate(d)) return Malformed<long?>(field, $"'{field}' must be a whole number.");
        else return Malformed<long?>(field, $"'{field}' must be between {min} and {max}.");

        if (value < min || value > max) return Malformed<long?>(field, $"'{field}' must be between {min} and {max}.");
        return value;
    }

    private DateTimeOffset? Timestamp(JsonElement e, string field)
    {
        if (Text(e, field) is not { } text) return null;
        var match = IsoDateTime().Match(text);
        // .NET parses at most 7 fraction digits; Go and others write 9.
        var trimmed = match.Success && match.Groups["fraction"].Length > 7
            ? text.Remove(match.Groups["fraction"].Index + 7, match.Groups["fraction"].Length - 7)
            : text;
        if (match.Success && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }
        return Malformed<DateTimeOffset?>(field,
            $"'{field}' must be an ISO 8601 date-time such as \"2026-04-15T09:23:41.000Z\", not \"{ClientText.Quote(text)}\".");
    }

    /// <summary>Environment values are strings; numbers and booleans are kept as their JSON text, null entries dropped.</summary>
    private Dictionary<string, string>? Env(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) return WrongType<Dictionary<string, string>>("env", "an object of strings", e);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in e.EnumerateObject())
        {
            if (!TryGetName(property, out var name)) return Malformed<Dictionary<string, string>>("env", "'env' has a key with an invalid \\u escape.");
            var field = $"env.{ClientText.Quote(name)}";
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Null: continue;
                case JsonValueKind.String when Text(value, field) is { } text: env[name] = text; break;
                case JsonValueKind.String: return null;
                case JsonValueKind.Number: env[name] = value.GetRawText(); break;
                case JsonValueKind.True or JsonValueKind.False: env[name] = value.ValueKind == JsonValueKind.True ? "true" : "false"; break;
                default: return WrongType<Dictionary<string, string>>(field, "a string, number or boolean", value);
            }
        }
        return env;
    }

    private static bool TryGetString(JsonElement e, out string text)
    {
        try { text = e.GetString()!; return true; }
        catch (InvalidOperationException) { text = ""; return false; }
    }

    private static bool TryGetName(JsonProperty property, out string name)
    {
        try { name = property.Name; return true; }
        catch (InvalidOperationException) { name = ""; return false; }
    }

    private T? WrongType<T>(string field, string expected, JsonElement actual) =>
        Malformed<T>(field, $"'{field}' must be {expected}, not {CommandJsonValidator.Describe(actual.ValueKind)}.");

    private T? Malformed<T>(string field, string message)
    {
        _problems.Add(new(field, CommandJsonProblemKind.Malformed, message));
        return default;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.(?<fraction>\d+))?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateTime();
}
