using System.Net;
using System.Net.Sockets;
using Seismo.Domain.Webhooks;

namespace Seismo.Grains.Webhooks;

/// <summary>A webhook target that resolved only to addresses webhooks may not reach. Final: never retried.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);

/// <summary>
/// The SSRF guard, as the webhook client's <see cref="SocketsHttpHandler.ConnectCallback"/>: it resolves the host
/// itself, keeps only public addresses (unless private targets are allowed) and connects to one of exactly those,
/// so a name that resolves differently at registration, or between a check and the connection (DNS rebinding),
/// cannot reach loopback, private, link-local or metadata addresses. The handler uses no proxy and follows no
/// redirects, so this is the only way out.
/// </summary>
public sealed class WebhookConnectGuard(bool allowPrivateTargets)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = allowPrivateTargets ? addresses : addresses.Where(AddressClassifier.IsPublic).ToArray();
        if (!Socket.OSSupportsIPv6) allowed = allowed.Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToArray();
        if (allowed.Length == 0)
        {
            if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
            var first = addresses[0];
            throw new WebhookTargetRefusedException(
                $"{host} resolves to {first}, a {AddressClassifier.Describe(AddressClassifier.Classify(first))} address; webhook targets must be public");
        }

        var socket = Socket.OSSupportsIPv6
            ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }   // dual mode: IPv4 and IPv6
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
