using System.Net;
using Seismo.Domain.Webhooks;

namespace Seismo.Tests.Webhooks;

public sealed class AddressClassifierTests
{
    [Theory]
    [InlineData("127.0.0.1", AddressKind.Loopback)]
    [InlineData("127.255.1.2", AddressKind.Loopback)]
    [InlineData("10.0.0.1", AddressKind.Private)]
    [InlineData("172.16.0.1", AddressKind.Private)]
    [InlineData("172.31.255.255", AddressKind.Private)]
    [InlineData("192.168.1.1", AddressKind.Private)]
    [InlineData("169.254.0.1", AddressKind.LinkLocal)]
    [InlineData("169.254.169.254", AddressKind.Metadata)]
    [InlineData("100.100.100.200", AddressKind.Metadata)]
    [InlineData("100.64.0.1", AddressKind.SharedCgnat)]
    [InlineData("100.127.255.255", AddressKind.SharedCgnat)]
    [InlineData("0.0.0.0", AddressKind.Unspecified)]
    [InlineData("0.1.2.3", AddressKind.Unspecified)]
    [InlineData("224.0.0.1", AddressKind.Multicast)]
    [InlineData("239.255.255.250", AddressKind.Multicast)]
    [InlineData("255.255.255.255", AddressKind.Broadcast)]
    [InlineData("240.0.0.1", AddressKind.Reserved)]
    [InlineData("198.18.0.1", AddressKind.Reserved)]
    [InlineData("8.8.8.8", AddressKind.Public)]
    [InlineData("1.1.1.1", AddressKind.Public)]
    [InlineData("172.15.255.255", AddressKind.Public)]
    [InlineData("172.32.0.1", AddressKind.Public)]
    [InlineData("100.63.255.255", AddressKind.Public)]
    [InlineData("100.128.0.1", AddressKind.Public)]
    [InlineData("169.253.1.1", AddressKind.Public)]
    [InlineData("192.169.0.1", AddressKind.Public)]
    public void IPv4(string address, AddressKind expected) => Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::1", AddressKind.Loopback)]
    [InlineData("::", AddressKind.Unspecified)]
    [InlineData("fc00::1", AddressKind.Private)]
    [InlineData("fd12:3456:789a::1", AddressKind.Private)]
    [InlineData("fe80::1", AddressKind.LinkLocal)]
    [InlineData("febf::1", AddressKind.LinkLocal)]
    [InlineData("fec0::1", AddressKind.Private)]
    [InlineData("ff02::1", AddressKind.Multicast)]
    [InlineData("fd00:ec2::254", AddressKind.Metadata)]
    [InlineData("2001:db8::1", AddressKind.Reserved)]
    [InlineData("2606:4700:4700::1111", AddressKind.Public)]
    [InlineData("2a00:1450:4001:80b::200e", AddressKind.Public)]
    [InlineData("fbff::1", AddressKind.Public)]
    public void IPv6(string address, AddressKind expected) => Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::ffff:127.0.0.1", AddressKind.Loopback)]
    [InlineData("::ffff:10.1.2.3", AddressKind.Private)]
    [InlineData("::ffff:169.254.169.254", AddressKind.Metadata)]
    [InlineData("::ffff:100.64.1.1", AddressKind.SharedCgnat)]
    [InlineData("::ffff:0.0.0.0", AddressKind.Unspecified)]
    [InlineData("::ffff:8.8.8.8", AddressKind.Public)]
    [InlineData("::127.0.0.1", AddressKind.Loopback)]
    [InlineData("::8.8.8.8", AddressKind.Reserved)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressKind.Metadata)]
    [InlineData("64:ff9b::808:808", AddressKind.Public)]
    [InlineData("2002:c0a8:0101::1", AddressKind.Private)]
    [InlineData("2002:0808:0808::1", AddressKind.Public)]
    public void IPv6_carrying_IPv4_is_judged_by_the_IPv4_address(string address, AddressKind expected) =>
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));

    [Fact]
    public void Mapped_addresses_agree_with_their_IPv4_form()
    {
        foreach (var text in new[] { "127.0.0.1", "10.0.0.1", "192.168.0.1", "169.254.1.1", "100.64.0.1", "8.8.4.4", "224.1.1.1" })
        {
            var v4 = IPAddress.Parse(text);
            Assert.Equal(AddressClassifier.Classify(v4), AddressClassifier.Classify(v4.MapToIPv6()));
        }
    }
}
