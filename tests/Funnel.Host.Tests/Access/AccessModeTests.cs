using Funnel.Host.Access;
using Funnel.Host.Storage;
using Microsoft.Extensions.Configuration;

namespace Funnel.Host.Tests.Access;

/// <summary>When keys are required: everywhere but the private store on loopback, which Funnel:Auth:Required=true closes too.</summary>
public sealed class AccessModeTests
{
    [Theory]
    [InlineData(true, null, null, false)]
    [InlineData(true, "http://127.0.0.1:5080", null, false)]
    [InlineData(true, "http://localhost:5080;http://[::1]:5081", null, false)]
    [InlineData(true, "http://0.0.0.0:5080", null, true)]
    [InlineData(true, "http://*:5080", null, true)]
    [InlineData(true, "http://+:5080", null, true)]
    [InlineData(true, "http://10.1.2.3:5080", null, true)]
    [InlineData(true, "http://127.0.0.1:5080;http://192.168.1.9:5080", null, true)]
    [InlineData(true, null, "true", true)]
    [InlineData(false, null, null, true)]
    [InlineData(false, "http://127.0.0.1:5080", "false", true)]
    public void keys_are_required_unless_the_private_store_listens_on_loopback_only(bool privateStore, string? urls, string? required, bool expected)
    {
        var settings = new Dictionary<string, string?> { ["urls"] = urls, ["Funnel:Auth:Required"] = required };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var mode = AccessMode.Decide(configuration, new StorageMode(privateStore, "Host=x", Solo: true));

        Assert.Equal(expected, mode.Required);
    }

    [Fact]
    public void listening_on_every_interface_by_http_ports_requires_keys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["http_ports"] = "8080" }).Build();

        Assert.True(AccessMode.Decide(configuration, new StorageMode(true, "Host=x", Solo: true)).Required);
    }
}
