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
        return Prefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool TryParse(string? id, out Guid projectId, out Guid webhookId)
    {
        projectId = webhookId = Guid.Empty;
        if (id is null || !id.StartsWith(Prefix, StringComparison.Ordinal) || id.Length != Prefix.Length + 43) return false;
        var text = id[Prefix.Length..].Replace('-', '+').Replace('_', '/') + "=";
        Span<byte> bytes = stackalloc byte[32];
        if (!Convert.TryFromBase64String(text, bytes, out var written) || written != 32) return false;
        projectId = new Guid(bytes[..16], bigEndian: true);
        webhookId = new Guid(bytes[16..], bigEndian: true);
        // Only the canonical spelling: one webhook, one id.
        return Format(projectId, webhookId) == id;
    }

    public static string NewDeliveryId() => DeliveryPrefix + Guid.NewGuid().ToString("N");
}
