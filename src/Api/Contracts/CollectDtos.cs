using System.Text.Json.Serialization;

namespace Seismo.Api.Contracts;

// Wire shapes of the collect contract: snake_case, as its clients read them.

public sealed record CollectResponse(string ObservationId, Guid AccountId, Guid ProjectId, Guid AgentId, string Status);

public sealed record ObservationDto(
    string ObservationId, string RunId, Guid ProjectId, string Status, int TestsParsed, int TestsFailed, string? Error, DateTimeOffset ReceivedAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CollectResponse))]
[JsonSerializable(typeof(ObservationDto))]
public sealed partial class CollectJsonContext : JsonSerializerContext;
