using Funnel.Domain.Deals;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Deals;

public sealed class SendQuoteTests
{
    [Fact]
    public void a_quote_records_the_new_and_previous_amount() =>
        Assert.Equal(
            [new QuoteSent("D", "Q-1", 1250m, 1000m, T0.AddDays(1))],
            new SendQuote("D", 1250m, "Q-1", T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then());

    [Fact]
    public void a_quote_for_the_same_amount_is_still_a_quote() =>
        Assert.Single(new SendQuote("D", 1000m, null, T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then());

    [Fact]
    public void a_negative_quote_is_invalid() =>
        new SendQuote("D", -1m).Decide(Deal(Captured()), Classic, Now).Refused(RejectionKind.Invalid, "amount", "non-negative");
}

public sealed class ChangeAmountTests
{
    [Fact]
    public void a_new_amount_records_the_previous_one() =>
        Assert.Equal(
            [new DealAmountChanged("D", 0m, 1000m, T0.AddDays(1))],
            new ChangeAmount("D", 0m, T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then());

    [Fact]
    public void the_same_amount_changes_nothing() =>
        Assert.Empty(new ChangeAmount("D", 1000m, T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then());

    [Fact]
    public void a_missing_amount_is_invalid() =>
        new ChangeAmount("D", null).Decide(Deal(Captured()), Classic, Now).Refused(RejectionKind.Invalid, "amount", "required");
}

public sealed class WinDealTests
{
    [Fact]
    public void a_win_keeps_the_current_amount_and_stage_by_default() =>
        Assert.Equal(
            [new DealWon("D", "propose", 1000m, T0.AddDays(1))],
            new WinDeal("D", null, T0.AddDays(1)).Decide(Deal(Captured("propose")), Classic, Now).Then());

    [Fact]
    public void a_win_can_set_the_final_amount() =>
        Assert.Equal(900m, ((DealWon)new WinDeal("D", 900m, T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then()[0]).Amount);

    [Fact]
    public void winning_a_lost_deal_is_a_conflict() =>
        new WinDeal("D", null, T0.AddDays(2)).Decide(Deal(Captured(), new DealLost("D", "validate", "x", T0.AddDays(1))), Classic, Now)
            .Refused(RejectionKind.Conflict, "status", "deal-closed");
}
