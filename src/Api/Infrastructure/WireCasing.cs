using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Seismo.Api.Infrastructure;

public enum Casing { CamelCase, SnakeCase }

/// <summary>
/// The JSON casing of a wire type, declared on the type itself: Seismo and Euriqa shapes are camelCase, the collect
/// contract's snake_case. There is no global naming policy, so no route can change another's casing.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class WireCasingAttribute(Casing casing) : Attribute
{
    public Casing Casing { get; } = casing;

    /// <summary>Resolver modifier: renames the properties of a type that declares its casing.</summary>
    public static void Apply(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object) return;
        var declared = (typeInfo.Type.IsGenericType ? typeInfo.Type.GetGenericTypeDefinition() : typeInfo.Type).GetCustomAttribute<WireCasingAttribute>();
        if (declared is null) return;
        var policy = declared.Casing == Casing.SnakeCase ? JsonNamingPolicy.SnakeCaseLower : JsonNamingPolicy.CamelCase;
        foreach (var property in typeInfo.Properties)
        {
            // Names spelled out with [JsonPropertyName] are lower-case already and stay as written.
            if (property.Name.Length > 0 && char.IsUpper(property.Name[0])) property.Name = policy.ConvertName(property.Name);
        }
    }
}
