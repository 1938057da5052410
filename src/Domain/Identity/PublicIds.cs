using System.Buffers.Binary;

namespace Seismo.Domain.Identity;

/// <summary>
/// Opaque ids that carry what they address: a test id holds its project and key hash, a result id its run and
/// position. They route to the right grain without an index; access is still checked against the project.
/// </summary>
public static class PublicIds
{
    private const string TestPrefix = "t_";
    private const string ResultPrefix = "r_";

    public static string TestId(Guid projectId, string keyHashHex)
    {
        Span<byte> bytes = stackalloc byte[28];
        projectId.TryWriteBytes(bytes[..16], bigEndian: true, out _);
        Convert.FromHexString(keyHashHex, bytes[16..], out _, out _);
        return TestPrefix + Base64Url(bytes);
    }

    public static bool TryParseTestId(string? id, out Guid projectId, out string keyHashHex)
    {
        projectId = Guid.Empty;
        keyHashHex = "";
        if (id is null || !id.StartsWith(TestPrefix, StringComparison.Ordinal)) return false;
        Span<byte> bytes = stackalloc byte[28];
        if (!TryFromBase64Url(id.AsSpan(TestPrefix.Length), bytes)) return false;
        projectId = new Guid(bytes[..16], bigEndian: true);
        keyHashHex = Convert.ToHexStringLower(bytes[16..]);
        return true;
    }

    public static string ResultId(Guid runGuid, int index)
    {
        Span<byte> bytes = stackalloc byte[20];
        runGuid.TryWriteBytes(bytes[..16], bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(bytes[16..], index);
        return ResultPrefix + Base64Url(bytes);
    }

    public static bool TryParseResultId(string? id, out Guid runGuid, out int index)
    {
        runGuid = Guid.Empty;
        index = -1;
        if (id is null || !id.StartsWith(ResultPrefix, StringComparison.Ordinal)) return false;
        Span<byte> bytes = stackalloc byte[20];
        if (!TryFromBase64Url(id.AsSpan(ResultPrefix.Length), bytes)) return false;
        runGuid = new Guid(bytes[..16], bigEndian: true);
        index = BinaryPrimitives.ReadInt32BigEndian(bytes[16..]);
        return index >= 0;
    }

    /// <summary>The grain key of a test: what it is, readable in storage and logs.</summary>
    public static string TestGrainKey(Guid projectId, string keyHashHex) => $"{projectId:N}/{keyHashHex}";

    /// <summary>Observation ids are the receipt time with microseconds, then the run's UUID.</summary>
    public static string ObservationId(DateTimeOffset receivedAt, Guid runGuid) =>
        $"{receivedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffff}_{runGuid}";

    /// <summary>Accepts a bare UUID or an observation id ending in one.</summary>
    public static bool TryParseRunId(string? id, out Guid runGuid)
    {
        runGuid = Guid.Empty;
        if (string.IsNullOrEmpty(id)) return false;
        var underscore = id.LastIndexOf('_');
        return Guid.TryParse(underscore >= 0 ? id[(underscore + 1)..] : id, out runGuid);
    }

    /// <summary>Unpadded base64url, the spelling of every opaque id Seismo hands out.</summary>
    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Decodes <see cref="Base64Url"/> text that fills <paramref name="into"/> exactly.</summary>
    public static bool TryFromBase64Url(ReadOnlySpan<char> text, Span<byte> into)
    {
        if (text.Length > 64) return false;
        var s = text.ToString().Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
        return Convert.TryFromBase64String(s, into, out var written) && written == into.Length;
    }
}
