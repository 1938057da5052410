using System.Text.Json;
using System.Text.Json.Serialization;

namespace Seismo.Grains.Uploads;

/// <summary>The session as <c>upload.progress</c> carries it: the same object <c>GET /api/uploads/{id}</c> answers.</summary>
public static class UploadJson
{
    public static string Of(UploadSession session) => JsonSerializer.Serialize(session, UploadJsonContext.Default.UploadSession);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(UploadSession))]
internal sealed partial class UploadJsonContext : JsonSerializerContext;
