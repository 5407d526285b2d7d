using Funnel.Domain.Forecasting;

namespace Funnel.Domain.Tests.Forecasting;

public sealed class WinRateTests
{
    // Expected intervals worked by hand from the Wilson formula with z = 1.959964, e.g. for 31 of 100:
    // centre = (0.31 + 3.841459/200) / (1 + 3.841459/100) = 0.329207/1.038415 = 0.317029,
    // half = 1.959964/1.038415 · sqrt(0.31·0.69/100 + 3.841459/40000) = 1.887456 · 0.047276 = 0.089232;
    // the others checked the same way (and against a separate Python calculation).
    [Theory]
    [InlineData(31, 100, 0.31, 0.227797, 0.406261)]
    [InlineData(5, 10, 0.5, 0.236593, 0.763407)]
    [InlineData(0, 10, 0.0, 0.0, 0.277533)]
    [InlineData(10, 10, 1.0, 0.722467, 1.0)]
    public void the_interval_is_wilsons(long won, long closed, double rate, double low, double high)
    {
        var observed = WinRate.Of(won, closed);

        Assert.Equal((decimal)rate, observed.Rate);
        Assert.Equal((decimal)low, observed.Low!.Value, 5);
        Assert.Equal((decimal)high, observed.High!.Value, 5);
    }

    [Fact]
    public void no_closed_deal_has_no_rate()
    {
        Assert.Equal(new WinRate(0, 0, null, null, null), WinRate.Of(0, 0));
    }
}
