using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Deals;

/// <summary>Values a hostile or broken client might send: refused before they reach the store, so no read model has to survive them.</summary>
public sealed class InputBoundsTests
{
    private const decimal Trillion = 1_000_000_000_000m;

    private static CaptureDeal Capture(decimal amount = 10m, string name = "Acme", DateTimeOffset? at = null, DateOnly? close = null) =>
        new("D", "sales", name, "ann", amount, ExpectedCloseDate: close, OccurredAt: at);

    [Fact]
    public void an_amount_of_a_trillion_is_accepted_and_a_cent_more_is_not()
    {
        Assert.Single(Capture(Trillion).Decide(Classic, false, Now).Then());
        Capture(Trillion + 0.01m).Decide(Classic, false, Now).Refused(RejectionKind.Invalid, "amount", "max-amount");
    }

    [Fact]
    public void decimal_max_value_is_refused_by_every_command_that_sets_an_amount()
    {
        var deal = Deal(Captured());
        Capture(decimal.MaxValue).Decide(Classic, false, Now).Refused(RejectionKind.Invalid, "amount", "max-amount");
        new ChangeAmount("D", decimal.MaxValue).Decide(deal, Classic, Now).Refused(RejectionKind.Invalid, "amount", "max-amount");
        new SendQuote("D", decimal.MaxValue).Decide(deal, Classic, Now).Refused(RejectionKind.Invalid, "amount", "max-amount");
        new WinDeal("D", decimal.MaxValue).Decide(deal, Classic, Now).Refused(RejectionKind.Invalid, "amount", "max-amount");
    }

    [Theory]
    [InlineData("a\0b")]
    [InlineData("tab\there")]
    [InlineData("\u001b[31mred")]
    public void text_with_control_characters_is_refused(string text)
    {
        Capture(name: text).Decide(Classic, false, Now).Refused(RejectionKind.Invalid, "name", "control-characters");
        new LoseDeal("D", text).Decide(Deal(Captured()), Classic, Now).Refused(RejectionKind.Invalid, "reason", "control-characters");
        new CaptureDeal("D", "sales", "Acme", "ann", 1m, Tags: ["ok", text]).Decide(Classic, false, Now).Refused(RejectionKind.Invalid, "tags[1]", "tag");
    }

    [Fact]
    public void an_occurred_at_before_1900_is_refused()
    {
        Capture(at: new DateTimeOffset(1899, 12, 31, 23, 59, 59, TimeSpan.Zero)).Decide(Classic, false, Now).Refused(RejectionKind.Invalid, "occurredAt", "instant-range");
        Assert.Single(Capture(at: new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero)).Decide(Classic, false, Now).Then());
        new DefinePipeline("p", "P", [new("a", "A", 0.2m)], DateTimeOffset.MinValue).Decide(null, Now).Refused(RejectionKind.Invalid, "occurredAt", "instant-range");
    }

    [Fact]
    public void an_expected_close_date_outside_1900_to_2999_is_refused()
    {
        Capture(close: DateOnly.MaxValue).Decide(Classic, false, Now).Refused(RejectionKind.Invalid, "expectedCloseDate", "instant-range");
        new ChangeExpectedClose("D", DateOnly.MinValue).Decide(Deal(Captured()), Classic, Now).Refused(RejectionKind.Invalid, "expectedCloseDate", "instant-range");
        Assert.Single(Capture(close: new DateOnly(2999, 12, 31)).Decide(Classic, false, Now).Then());
    }

    [Fact]
    public void a_stage_may_cap_its_dwell_at_ten_years_and_no_more()
    {
        Assert.Single(new DefinePipeline("p", "P", [new("a", "A", 0.2m, 3650m)]).Decide(null, Now).Then());
        new DefinePipeline("p", "P", [new("a", "A", 0.2m, 3651m)]).Decide(null, Now).Refused(RejectionKind.Invalid, "stages[0].maxDays", "max-days");
        new DefinePipeline("p", new string('x', 201), [new("a", "A", 0.2m)]).Decide(null, Now).Refused(RejectionKind.Invalid, "name", "max-length");
    }
}
