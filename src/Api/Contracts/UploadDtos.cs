using System.Text.Json.Serialization;
using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Contracts;

// Environments, upload sessions and reports: Seismo's own shapes, camelCase. UploadSession, BuildReport and
// BuildStats are the grain records themselves (their names are spelled out on them), so the API answer and the live
// event are one shape.

[WireCasing(Casing.CamelCase)]
public sealed record EnvironmentDto(string Id, string Name, string? Description, int ProjectCount, IReadOnlyList<Guid> ProjectIds,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record EnvironmentProjectDto(Guid Id, string Name, string Slug, string EnvId, Guid TeamId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

[WireCasing(Casing.CamelCase)]
public sealed record ReportQueuedDto(string BuildId, string Status, string Url);

[JsonSerializable(typeof(EnvironmentDto))]
[JsonSerializable(typeof(DataList<EnvironmentDto>))]
[JsonSerializable(typeof(EnvironmentProjectDto))]
[JsonSerializable(typeof(DataList<EnvironmentProjectDto>))]
[JsonSerializable(typeof(UploadSession))]
[JsonSerializable(typeof(DataList<UploadSession>))]
[JsonSerializable(typeof(BuildReport))]
[JsonSerializable(typeof(DataList<BuildReport>))]
[JsonSerializable(typeof(BuildStats))]
[JsonSerializable(typeof(ReportQueuedDto))]
[JsonSerializable(typeof(int[]))]
public sealed partial class UploadJsonContext : JsonSerializerContext;
