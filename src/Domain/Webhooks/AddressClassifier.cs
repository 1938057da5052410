using System.Net;
using System.Net.Sockets;

namespace Seismo.Domain.Webhooks;

/// <summary>What kind of address a webhook target is; anything but <see cref="Public"/> is refused by default.</summary>
public enum AddressKind
{
    Public,
    Unspecified,
    Loopback,
    Private,
    LinkLocal,
    SharedCgnat,
    Metadata,
    Multicast,
    Broadcast,
    Reserved,
}

/// <summary>
/// Classifies IP addresses for the webhook SSRF rule: loopback, private (RFC 1918, fc00::/7), link-local
/// (169.254/16, fe80::/10), CGNAT (100.64/10), unspecified, multicast, broadcast, reserved and cloud metadata
/// addresses are not public. IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible, NAT64 (64:ff9b::/96) and 6to4
/// (2002::/16) IPv6 addresses are judged by the IPv4 address they carry.
/// </summary>
public static class AddressClassifier
{
    public static bool IsPublic(IPAddress address) => Classify(address) == AddressKind.Public;

    public static AddressKind Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => ClassifyV6(address.GetAddressBytes()),
            _ => AddressKind.Reserved,
        };
    }

    /// <summary>A lower-case description for error messages: "loopback", "private", "link-local", …</summary>
    public static string Describe(AddressKind kind) => kind switch
    {
        AddressKind.SharedCgnat => "shared (CGNAT)",
        AddressKind.LinkLocal => "link-local",
        AddressKind.Metadata => "cloud metadata",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static AddressKind ClassifyV4(ReadOnlySpan<byte> b)
    {
        // Metadata endpoints first: they sit inside ranges classified below and deserve the precise name.
        if (b[0] == 169 && b[1] == 254 && b[2] == 169 && b[3] == 254) return AddressKind.Metadata;   // AWS, GCP, Azure, …
        if (b[0] == 100 && b[1] == 100 && b[2] == 100 && b[3] == 200) return AddressKind.Metadata;   // Alibaba Cloud
        if (b[0] == 168 && b[1] == 63 && b[2] == 129 && b[3] == 16) return AddressKind.Metadata;     // Azure wire server
        return b[0] switch
        {
            0 => AddressKind.Unspecified,                                         // 0.0.0.0/8 "this network"
            10 => AddressKind.Private,                                            // 10/8
            127 => AddressKind.Loopback,                                          // 127/8
            100 when (b[1] & 0xC0) == 64 => AddressKind.SharedCgnat,              // 100.64/10
            169 when b[1] == 254 => AddressKind.LinkLocal,                        // 169.254/16
            172 when (b[1] & 0xF0) == 16 => AddressKind.Private,                  // 172.16/12
            192 when b[1] == 168 => AddressKind.Private,                          // 192.168/16
            192 when b[1] == 0 && b[2] == 0 => AddressKind.Reserved,              // 192.0.0/24 protocol assignments
            192 when b[1] == 0 && b[2] == 2 => AddressKind.Reserved,              // TEST-NET-1
            198 when (b[1] & 0xFE) == 18 => AddressKind.Reserved,                 // 198.18/15 benchmarking
            198 when b[1] == 51 && b[2] == 100 => AddressKind.Reserved,           // TEST-NET-2
            203 when b[1] == 0 && b[2] == 113 => AddressKind.Reserved,            // TEST-NET-3
            >= 224 and <= 239 => AddressKind.Multicast,                           // 224/4
            255 when b[1] == 255 && b[2] == 255 && b[3] == 255 => AddressKind.Broadcast,
            >= 240 => AddressKind.Reserved,                                       // 240/4
            _ => AddressKind.Public,
        };
    }

    private static AddressKind ClassifyV6(ReadOnlySpan<byte> b)
    {
        var firstTenZero = b[..10].IndexOfAnyExcept((byte)0) < 0;
        if (firstTenZero && b[10] == 0xFF && b[11] == 0xFF) return ClassifyV4(b[12..]);          // ::ffff:a.b.c.d mapped
        if (firstTenZero && b[10] == 0 && b[11] == 0)
        {
            if (b[12..15].IndexOfAnyExcept((byte)0) < 0 && b[15] <= 1)
                return b[15] == 1 ? AddressKind.Loopback : AddressKind.Unspecified;                // ::1, ::
            return ClassifyV4(b[12..]) is var v4 && v4 != AddressKind.Public ? v4 : AddressKind.Reserved; // ::a.b.c.d, deprecated
        }
        // 64:ff9b::/96 NAT64 (well-known prefix): the IPv4 address it translates to decides.
        if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..12].IndexOfAnyExcept((byte)0) < 0) return ClassifyV4(b[12..]);
        // 2002::/16 6to4: the embedded IPv4 address decides.
        if (b[0] == 0x20 && b[1] == 0x02) return ClassifyV4(b[2..6]);
        if (b[0] == 0xFD && b[1] == 0x00 && b[2] == 0x0E && b[3] == 0xC2 && b[4..14].IndexOfAnyExcept((byte)0) < 0 && b[14] == 0x02 && b[15] == 0x54)
            return AddressKind.Metadata;                                                             // fd00:ec2::254 (AWS IPv6)
        if ((b[0] & 0xFE) == 0xFC) return AddressKind.Private;                                      // fc00::/7 unique local
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return AddressKind.LinkLocal;                    // fe80::/10
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return AddressKind.Private;                      // fec0::/10 site-local, deprecated
        if (b[0] == 0xFF) return AddressKind.Multicast;                                              // ff00::/8
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return AddressKind.Reserved; // 2001:db8::/32 documentation
        if (b[0] == 0x01 && b[1] == 0x00 && b[2..8].IndexOfAnyExcept((byte)0) < 0) return AddressKind.Reserved; // 100::/64 discard
        return AddressKind.Public;
    }
}
