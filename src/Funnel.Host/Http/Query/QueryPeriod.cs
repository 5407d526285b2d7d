using System.Reflection;
using Funnel.Domain.Targets;

namespace Funnel.Host.Http.Query;

/// <summary>A target period: a month (2026-03), a quarter (2026-Q1) or a year (2026).</summary>
public sealed class QueryPeriod : QueryValue
{
    private readonly (TargetPeriod? Period, Rejection? Rejection) read;

    private QueryPeriod(string text)
        : base(text) => read = TargetPeriod.Parse(text.Trim());

    public TargetPeriod Value => read.Period ?? throw new InvalidOperationException($"'{Text}' was refused as a period.");

    public static bool TryParse(string? text, out QueryPeriod? period)
    {
        period = Blank(text) ? null : new QueryPeriod(text!);
        return true;
    }

    public override Rejection? Check(string name, PropertyInfo property) => read.Rejection;
}
