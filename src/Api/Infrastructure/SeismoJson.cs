using System.Text.Json;
using System.Text.Json.Serialization;

namespace Seismo.Api.Infrastructure;

/// <summary>
/// JSON settings. There is no global naming policy: each contract's DTOs spell their own field names
/// (camelCase for Seismo and Euriqa, snake_case for collect), so one route can never change another's casing.
/// </summary>
public static class SeismoJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.General));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        // Each contract's context brings its own casing; a type in none of them fails loudly in tests.
        options.TypeInfoResolverChain.Clear();
        options.TypeInfoResolverChain.Add(Contracts.SeismoJsonContext.Default);
        options.TypeInfoResolverChain.Add(Contracts.CollectJsonContext.Default);
        options.TypeInfoResolverChain.Add(ErrorJsonContext.Default);
        return options;
    }
}

[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ErrorJsonContext : JsonSerializerContext;
