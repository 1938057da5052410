using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Seismo.Api.Infrastructure;

/// <summary>
/// JSON settings. There is no global naming policy: each wire type declares its casing with
/// <see cref="WireCasingAttribute"/> (camelCase for Seismo and Euriqa, snake_case for collect).
/// </summary>
public static class SeismoJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.General));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        // Source-generated metadata; each wire type declares its casing. A type in no context fails loudly in tests.
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(
                Contracts.SeismoJsonContext.Default,
                Contracts.CollectJsonContext.Default,
                ErrorJsonContext.Default,
                Contracts.NotificationJsonContext.Default,
                Contracts.SettingsJsonContext.Default,
                Contracts.WebhookJsonContext.Default,
                Contracts.TrendsJsonContext.Default,
                Endpoints.MeJsonContext.Default,
                Contracts.PipelineJsonContext.Default,
                Contracts.InsightsJsonContext.Default,
                Contracts.ReportingJsonContext.Default,
                Contracts.UploadJsonContext.Default,
                Endpoints.ClusterJsonContext.Default)
            .WithAddedModifier(WireCasingAttribute.Apply);
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
