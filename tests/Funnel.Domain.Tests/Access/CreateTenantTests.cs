using Funnel.Domain.Access;

namespace Funnel.Domain.Tests.Access;

/// <summary>A tenant id names a PostgreSQL schema: a plain lower-case identifier, never 'default' (which always exists).</summary>
public sealed class CreateTenantTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("a")]
    [InlineData("north_2026")]
    [InlineData("abcdefghijklmnopqrstuvwxyz1234")]
    public void a_plain_lower_case_id_is_a_new_tenant(string id) => Assert.Null(Tenants.CheckNew(id, exists: false));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Acme")]
    [InlineData("2acme")]
    [InlineData("_acme")]
    [InlineData("ac-me")]
    [InlineData("ac.me")]
    [InlineData("acme;drop")]
    [InlineData("abcdefghijklmnopqrstuvwxyz12345")]
    public void anything_else_is_refused_naming_the_rule(string? id)
    {
        var rejection = Tenants.CheckNew(id, exists: false);
        Assert.Equal(("tenant", "tenant-id", RejectionKind.Invalid), (rejection?.Field, rejection?.Rule, rejection?.Kind));
    }

    [Fact]
    public void an_existing_tenant_and_the_default_one_are_conflicts()
    {
        Assert.Equal(("tenant-exists", RejectionKind.Conflict), (Tenants.CheckNew("acme", exists: true)?.Rule, Tenants.CheckNew("acme", exists: true)?.Kind));
        Assert.Equal("tenant-exists", Tenants.CheckNew(Tenants.Default, exists: false)?.Rule);
    }
}
