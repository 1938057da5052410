using System.Text.Json.Serialization;
using Seismo.Api.Infrastructure;

namespace Seismo.Api.Contracts;

// Wire shapes of the collect contract: snake_case, as its clients read them.

[WireCasing(Casing.SnakeCase)]
public sealed record CollectResponse(string ObservationId, Guid AccountId, Guid ProjectId, Guid AgentId, string Status);

[WireCasing(Casing.SnakeCase)]
public sealed record ObservationDto(
    string ObservationId, string RunId, Guid ProjectId, string Status, int TestsParsed, int TestsFailed, string? Error, DateTimeOffset ReceivedAt);

[JsonSerializable(typeof(CollectResponse))]
[JsonSerializable(typeof(ObservationDto))]
public sealed partial class CollectJsonContext : JsonSerializerContext;
