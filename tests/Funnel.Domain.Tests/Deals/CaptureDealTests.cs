using Funnel.Domain.Deals;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Deals;

public sealed class CaptureDealTests
{
    private static readonly CaptureDeal Valid = new("D", "sales", " Acme ", "ann", 1000m, Team: "east", OccurredAt: T0);

    [Fact]
    public void a_deal_enters_the_first_stage_by_default_with_usd()
    {
        var e = Assert.IsType<DealCaptured>(Assert.Single(Valid.Decide(Classic, dealExists: false, Now).Then()));
        Assert.Equal(("validate", "USD", "Acme", 1000m, T0), (e.Stage, e.Currency, e.Name, e.Amount, e.OccurredAt));
    }

    [Fact]
    public void an_importer_can_capture_into_a_later_stage()
    {
        var e = Assert.IsType<DealCaptured>(Assert.Single((Valid with { Stage = "propose" }).Decide(Classic, false, Now).Then()));
        Assert.Equal("propose", e.Stage);
    }

    [Fact]
    public void occurred_at_defaults_to_now() =>
        Assert.Equal(Now, ((DealCaptured)(Valid with { OccurredAt = null }).Decide(Classic, false, Now).Then()[0]).OccurredAt);

    [Fact]
    public void an_unknown_pipeline_is_invalid() => Valid.Decide(null, false, Now).Refused(RejectionKind.Invalid, "pipelineId", "unknown-pipeline");

    [Fact]
    public void an_unknown_stage_is_invalid() => (Valid with { Stage = "won" }).Decide(Classic, false, Now).Refused(RejectionKind.Invalid, "stage", "unknown-stage");

    [Fact]
    public void a_negative_amount_is_invalid() => (Valid with { Amount = -0.01m }).Decide(Classic, false, Now).Refused(RejectionKind.Invalid, "amount", "non-negative");

    [Fact]
    public void an_empty_owner_is_invalid() => (Valid with { Owner = "" }).Decide(Classic, false, Now).Refused(RejectionKind.Invalid, "owner", "required");

    [Fact]
    public void an_empty_tag_is_invalid() => (Valid with { Tags = ["ok", " "] }).Decide(Classic, false, Now).Refused(RejectionKind.Invalid, "tags[1]", "tag");

    [Fact]
    public void a_time_beyond_the_allowed_skew_is_invalid() =>
        (Valid with { OccurredAt = Now.AddMinutes(6) }).Decide(Classic, false, Now).Refused(RejectionKind.Invalid, "occurredAt", "not-in-future");

    [Fact]
    public void a_time_within_the_allowed_skew_is_accepted() =>
        Assert.Single((Valid with { OccurredAt = Now.AddMinutes(4) }).Decide(Classic, false, Now).Then());

    [Fact]
    public void a_duplicate_deal_id_is_a_conflict() => Valid.Decide(Classic, dealExists: true, Now).Refused(RejectionKind.Conflict, "dealId", "duplicate-deal");
}
