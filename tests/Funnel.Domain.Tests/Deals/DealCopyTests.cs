using Funnel.Domain.Deals;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Deals;

public sealed class DealCopyTests
{
    [Fact]
    public void evolving_a_copy_leaves_the_original_as_it_was()
    {
        var original = Deal(Captured());
        var copy = Funnel.Domain.Deals.Deal.Evolve(original.Copy(), new DealStageChanged("D", "validate", "develop", false, T0.AddDays(1)));

        Assert.Equal(("validate", 1), (original.Stage, original.Version));
        Assert.Equal(("develop", 2), (copy.Stage, copy.Version));
    }
}
