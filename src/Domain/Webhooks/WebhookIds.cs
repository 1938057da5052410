using Seismo.Domain.Identity;

namespace Seismo.Domain.Webhooks;

/// <summary>
/// Webhook ids (<c>wh_…</c>) carry their project, so a route with only the id finds the project's grain without an
/// index; access is still checked against the project. Delivery ids are <c>dlv_</c> and a random UUID.
/// </summary>
public static class WebhookIds
{
    private const string Prefix = "wh_";
    private const string DeliveryPrefix = "dlv_";

    public static string Format(Guid projectId, Guid webhookId)
    {
        Span<byte> bytes = stackalloc byte[32];
        projectId.TryWriteBytes(bytes[..16], bigEndian: true, out _);
        webhookId.TryWriteBytes(bytes[16..], bigEndian: true, out _);
        return Prefix + PublicIds.Base64Url(bytes);
    }

    public static bool TryParse(string? id, out Guid projectId, out Guid webhookId)
    {
        projectId = webhookId = Guid.Empty;
        if (id is null || !id.StartsWith(Prefix, StringComparison.Ordinal) || id.Length != Prefix.Length + 43) return false;
        Span<byte> bytes = stackalloc byte[32];
        if (!PublicIds.TryFromBase64Url(id.AsSpan(Prefix.Length), bytes)) return false;
        projectId = new Guid(bytes[..16], bigEndian: true);
        webhookId = new Guid(bytes[16..], bigEndian: true);
        // Only the canonical spelling: one webhook, one id.
        return Format(projectId, webhookId) == id;
    }

    public static string NewDeliveryId() => DeliveryPrefix + Guid.NewGuid().ToString("N");
}
