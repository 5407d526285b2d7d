using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Funnel.Projections;

/// <summary>
/// A document kept as the fold of its stream by the domain's own Evolve step, with the stream's version: the same
/// fold the decisions are tested with, instead of Marten conventions.
/// </summary>
public abstract class FoldProjection<T> : SingleStreamProjection<T, string>
    where T : class
{
    private readonly Func<T?, object, T?> evolve;
    private readonly Action<T, int> setVersion;

    protected FoldProjection(IEnumerable<Type> events, Func<T?, object, T?> evolve, Action<T, int> setVersion)
    {
        this.evolve = evolve;
        this.setVersion = setVersion;
        foreach (var type in events)
        {
            IncludeType(type);
        }
    }

    public override T? Evolve(T? snapshot, string id, IEvent e)
    {
        var next = evolve(snapshot, e.Data);
        if (next is not null)
        {
            setVersion(next, (int)e.Version);
        }

        return next;
    }
}
