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
