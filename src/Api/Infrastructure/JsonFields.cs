using System.Globalization;
using System.Text.Json;

namespace Seismo.Api.Infrastructure;

/// <summary>
/// Reads fields of a JSON request body by name, with an error that names the field and the problem.
/// Requests are parsed by hand rather than bound, so a wrong type is a 400 that says which field, never a
/// generic binding failure.
/// </summary>
public sealed class JsonFields(JsonElement root)
{
    public FieldError? Error { get; private set; }

    public bool Has(string name) => root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public static async Task<(JsonFields? Fields, FieldError? Error)> ReadAsync(HttpRequest request, long maxBytes = 1 << 20)
    {
        if (request.ContentLength > maxBytes) return (null, new FieldError("body", "too_large", $"The request body is over {maxBytes} bytes"));
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 32 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return (null, new FieldError("body", "invalid_type", "The request body must be a JSON object"));
            return (new JsonFields(doc.RootElement.Clone()), null);
        }
        catch (JsonException e)
        {
            return (null, new FieldError("body", "invalid_json", $"The request body is not valid JSON: {e.Message}"));
        }
    }

    public string? String(string name, bool required = false, int maxLength = 1024)
    {
        if (!Present(name, required, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String) return Fail<string>(name, "invalid_type", $"Field '{name}' must be a string");
        var s = v.GetString()!;
        if (required && string.IsNullOrWhiteSpace(s)) return Fail<string>(name, "required", $"Field '{name}' is required");
        if (s.Length > maxLength) return Fail<string>(name, "too_long", $"Field '{name}' must be at most {maxLength} characters");
        return s;
    }

    public Guid? Guid(string name, bool required = false)
    {
        var s = String(name, required);
        if (s is null) return null;
        return System.Guid.TryParse(s, out var g) ? g : FailStruct<Guid>(name, "invalid_format", $"Field '{name}' must be a UUID");
    }

    public bool? Bool(string name, bool required = false)
    {
        if (!Present(name, required, out var v)) return null;
        return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : FailStruct<bool>(name, "invalid_type", $"Field '{name}' must be true or false");
    }

    public long? Integer(string name, bool required = false, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!Present(name, required, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n)) return FailStruct<long>(name, "invalid_type", $"Field '{name}' must be an integer");
        if (n < min || n > max) return FailStruct<long>(name, "out_of_range", $"Field '{name}' must be between {min} and {max}");
        return n;
    }

    public double? Number(string name, bool required = false, double min = double.MinValue, double max = double.MaxValue)
    {
        if (!Present(name, required, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var n) || !double.IsFinite(n))
            return FailStruct<double>(name, "invalid_type", $"Field '{name}' must be a number");
        if (n < min || n > max) return FailStruct<double>(name, "out_of_range", $"Field '{name}' must be between {min} and {max}");
        return n;
    }

    /// <summary>The first field of the body that is not one of <paramref name="known"/>, reported as an error.</summary>
    public FieldError? Unknown(params string[] known)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (!known.Contains(property.Name))
                return Error ??= new FieldError(property.Name, "unknown_field", $"Field '{property.Name}' is not one of: {string.Join(", ", known)}");
        }
        return Error;
    }

    /// <summary>An array of strings (null when absent), each at most <paramref name="maxLength"/> characters.</summary>
    public string[]? Strings(string name, int maxItems = 100, int maxLength = 256)
    {
        if (!Present(name, false, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            return Fail<string[]>(name, "invalid_type", $"Field '{name}' must be an array of strings");
        if (v.GetArrayLength() > maxItems) return Fail<string[]>(name, "too_many", $"Field '{name}' has at most {maxItems} items");
        var items = v.EnumerateArray().Select(e => e.GetString()!).ToArray();
        return items.Any(i => i.Length > maxLength) ? Fail<string[]>(name, "too_long", $"Items of '{name}' are at most {maxLength} characters") : items;
    }

    /// <summary>Records a problem found by the caller's own checks (the first error wins).</summary>
    public void Reject(FieldError error) => Error ??= error;

    /// <summary>The raw value of a field, when present and not null, for shapes read elsewhere.</summary>
    public JsonElement? Element(string name) => Present(name, false, out var v) ? v : null;

    public DateTimeOffset? DateTime(string name, bool required = false)
    {
        var s = String(name, required);
        if (s is null) return null;
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
            ? d.ToUniversalTime()
            : FailStruct<DateTimeOffset>(name, "invalid_format", $"Field '{name}' must be an ISO 8601 date-time");
    }

    public T? Enum<T>(string name, bool required = false) where T : struct, System.Enum
    {
        var s = String(name, required);
        if (s is null) return null;
        return System.Enum.TryParse<T>(s, ignoreCase: true, out var e) && !int.TryParse(s, out _)
            ? e
            : FailStruct<T>(name, "invalid_value", $"Field '{name}' must be one of: {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
    }

    private bool Present(string name, bool required, out JsonElement value)
    {
        if (root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null) return Error is null;
        if (required) Fail<object>(name, "required", $"Field '{name}' is required");
        return false;
    }

    // The first error wins: it is the one reported.
    private T? Fail<T>(string field, string reason, string message) where T : class
    {
        Error ??= new FieldError(field, reason, message);
        return null;
    }

    private T? FailStruct<T>(string field, string reason, string message) where T : struct
    {
        Error ??= new FieldError(field, reason, message);
        return null;
    }
}
