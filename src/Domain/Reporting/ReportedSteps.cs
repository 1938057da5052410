using System.Text;
using System.Text.Json;

namespace Seismo.Domain.Reporting;

/// <summary>
/// Validates a reporter's nested steps and rewrites them in one canonical shape, so they can be kept as one JSON
/// text and served as they are: <c>{"title","category","status","duration","error":{"message"}|null,"steps":[…]}</c>,
/// <c>steps</c> only on a step that has children. Unknown properties are dropped; a wrong type is an error naming the
/// step by its path (<c>steps[2].steps[0].category</c>).
/// </summary>
public static class ReportedSteps
{
    public const int MaxSteps = 10_000;
    public const int MaxDepth = 24;
    public const int MaxTitleLength = 4_096;

    /// <summary>Categories of the contract, plus the names Playwright's own reporter API gives them.</summary>
    private static readonly Dictionary<string, string> Categories = new(StringComparer.Ordinal)
    {
        ["hook"] = "hook", ["action"] = "action", ["assertion"] = "assertion", ["fixture"] = "fixture",
        ["pw:api"] = "action", ["test.step"] = "action", ["expect"] = "assertion", ["attach"] = "action",
    };

    private static readonly HashSet<string> Statuses = ["passed", "failed", "skipped", "timedOut", "interrupted"];

    public sealed record Failure(string Field, string Reason, string Message);

    /// <summary>The canonical JSON array of <paramref name="steps"/> (a JSON array), or the first problem found.</summary>
    public static (string? Json, int Count, Failure? Error) Normalize(JsonElement steps)
    {
        if (steps.ValueKind != JsonValueKind.Array) return (null, 0, new Failure("steps", "invalid_type", "Field 'steps' must be an array"));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var count = 0;
            var error = WriteArray(writer, steps, "steps", 1, ref count);
            if (error is not null) return (null, 0, error);
            writer.Flush();
            return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), count, null);
        }
    }

    private static Failure? WriteArray(Utf8JsonWriter writer, JsonElement array, string path, int depth, ref int count)
    {
        if (depth > MaxDepth) return new Failure(path, "too_deep", $"Steps nest at most {MaxDepth} levels deep");
        writer.WriteStartArray();
        var i = 0;
        foreach (var step in array.EnumerateArray())
        {
            var at = $"{path}[{i++}]";
            if (++count > MaxSteps) return new Failure(at, "too_many", $"A test has at most {MaxSteps} steps");
            if (step.ValueKind != JsonValueKind.Object) return new Failure(at, "invalid_type", $"Field '{at}' must be an object");
            var error = WriteStep(writer, step, at, depth, ref count);
            if (error is not null) return error;
        }
        writer.WriteEndArray();
        return null;
    }

    private static Failure? WriteStep(Utf8JsonWriter writer, JsonElement step, string at, int depth, ref int count)
    {
        var title = Text(step, "title");
        if (title.Error is not null || title.Value is null)
            return new Failure($"{at}.title", title.Value is null && title.Error is null ? "required" : "invalid_type",
                title.Error ?? $"Field '{at}.title' is required");
        if (title.Value.Length > MaxTitleLength) return new Failure($"{at}.title", "too_long", $"Field '{at}.title' must be at most {MaxTitleLength} characters");

        var category = Text(step, "category");
        if (category.Error is not null) return new Failure($"{at}.category", "invalid_type", category.Error);
        string? canonical = null;
        if (category.Value is not null && !Categories.TryGetValue(category.Value, out canonical))
            return new Failure($"{at}.category", "invalid_value", $"Field '{at}.category' must be one of: hook, action, assertion, fixture");

        var status = Text(step, "status");
        if (status.Error is not null) return new Failure($"{at}.status", "invalid_type", status.Error);
        if (status.Value is not null && !Statuses.Contains(status.Value))
            return new Failure($"{at}.status", "invalid_value", $"Field '{at}.status' must be one of: passed, failed, skipped, timedOut, interrupted");

        double? duration = null;
        if (step.TryGetProperty("duration", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetDouble(out var value) || !double.IsFinite(value) || value < 0)
                return new Failure($"{at}.duration", "invalid_type", $"Field '{at}.duration' must be a non-negative number");
            duration = value;
        }

        string? message = null;
        var hasError = step.TryGetProperty("error", out var e) && e.ValueKind != JsonValueKind.Null;
        if (hasError)
        {
            if (e.ValueKind != JsonValueKind.Object) return new Failure($"{at}.error", "invalid_type", $"Field '{at}.error' must be an object or null");
            var m = Text(e, "message");
            if (m.Error is not null) return new Failure($"{at}.error.message", "invalid_type", m.Error);
            message = m.Value;
        }

        writer.WriteStartObject();
        writer.WriteString("title", title.Value);
        writer.WriteString("category", canonical);
        writer.WriteString("status", status.Value);
        if (duration is { } ms) writer.WriteNumber("duration", ms); else writer.WriteNull("duration");
        if (hasError)
        {
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }
        else writer.WriteNull("error");

        if (step.TryGetProperty("steps", out var children) && children.ValueKind != JsonValueKind.Null)
        {
            if (children.ValueKind != JsonValueKind.Array) return new Failure($"{at}.steps", "invalid_type", $"Field '{at}.steps' must be an array");
            if (children.GetArrayLength() > 0)
            {
                writer.WritePropertyName("steps");
                var error = WriteArray(writer, children, $"{at}.steps", depth + 1, ref count);
                if (error is not null) return error;
            }
        }
        writer.WriteEndObject();
        return null;
    }

    private static (string? Value, string? Error) Text(JsonElement owner, string name)
    {
        if (!owner.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return (null, null);
        return v.ValueKind == JsonValueKind.String ? (v.GetString(), null) : (null, $"Field '{name}' must be a string");
    }
}
