using Funnel.Domain.Access;

namespace Funnel.Domain.Tests.Access;

/// <summary>A key made by another key holds no more than its maker: its scopes, at most its rate.</summary>
public sealed class CreateApiKeyTests
{
    private static readonly string[] Maker = [Scopes.KeysAdmin, Scopes.ReportsRead];

    [Fact]
    public void scopes_and_a_rate_within_the_makers_are_granted() =>
        Assert.Null(new CreateApiKey("reader", null, [Scopes.ReportsRead], 20).BeyondGrant(Maker, 20));

    [Fact]
    public void a_scope_the_maker_lacks_is_refused_naming_it()
    {
        var refused = new CreateApiKey("writer", null, [Scopes.ReportsRead, Scopes.CommandsWrite]).BeyondGrant(Maker, 20);
        Assert.Equal(("scopes", "beyond-own-grant"), (refused?.Field, refused?.Rule));
        Assert.Contains(Scopes.CommandsWrite, refused!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_rate_above_the_makers_is_refused() =>
        Assert.Equal("requestsPerSecond", new CreateApiKey("fast", null, [Scopes.ReportsRead], 21).BeyondGrant(Maker, 20)?.Field);

    [Fact]
    public void no_rate_asks_for_nothing_beyond() =>
        Assert.Null(new CreateApiKey("reader", null, [Scopes.ReportsRead]).BeyondGrant(Maker, 1));
}
