using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Funnel.Host.Http.Query;
using Funnel.Projections.Reports;

namespace Funnel.Host.Reports;

// What each report reads from its query string (see IQueryParameters): the names, types, defaults and bounds of its
// parameters, from which both their reading and the OpenAPI document come.

/// <summary>The filters every report over deals takes.</summary>
public abstract record FilteredParameters : IQueryParameters
{
    public string[]? Owner { get; init; }

    public string[]? Team { get; init; }

    public string[]? Region { get; init; }

    public string[]? Product { get; init; }

    public ReportFilter Filter() => new(Owner ?? [], Team ?? [], Region ?? [], Product ?? []);

    public virtual Rejection? Check() => null;
}

/// <summary>A report over a window [from, to) of business time.</summary>
public abstract record WindowParameters : FilteredParameters
{
    public QueryInstant? From { get; init; }

    public QueryInstant? To { get; init; }

    public override Rejection? Check() => QueryInstant.InOrder(From, To, "from", "to");
}

/// <summary>A page of a list, from 1.</summary>
public abstract record PagedParameters : FilteredParameters
{
    [Range(1, 1_000_000), DefaultValue("1")]
    public QueryNumber? Page { get; init; }

    [Range(1, 500), DefaultValue("50")]
    public QueryNumber? PageSize { get; init; }
}

public sealed record ConversionParameters : WindowParameters
{
    public QueryInstant? AsOf { get; init; }

    public QueryDuration? Within { get; init; }

    [DefaultValue("false")]
    public QueryFlag? Explain { get; init; }
}

public sealed record DwellParameters : WindowParameters
{
    public QueryInstant? AsOf { get; init; }

    [DefaultValue("false")]
    public QueryFlag? Explain { get; init; }
}

/// <summary>The funnel or its forecast at an instant, as known at another.</summary>
public record InstantParameters : FilteredParameters
{
    public QueryInstant? AsOf { get; init; }

    public QueryInstant? KnownAt { get; init; }

    [DefaultValue("asOf")]
    public QueryChoice<Weights>? Probabilities { get; init; }

    [DefaultValue("false")]
    public QueryFlag? Explain { get; init; }
}

public sealed record SnapshotParameters : InstantParameters;

public sealed record ForecastParameters : InstantParameters
{
    [DefaultValue("stage")]
    public QueryChoice<ForecastGrouping>? GroupBy { get; init; }
}

/// <summary>Velocity and losses: what closed in the window.</summary>
public sealed record ClosedParameters : WindowParameters
{
    [DefaultValue("false")]
    public QueryFlag? Explain { get; init; }
}

public sealed record CalibrationParameters : WindowParameters;

public sealed record EffortParameters : WindowParameters
{
    public QueryInstant? AsOf { get; init; }
}

public sealed record StalledParameters : PagedParameters
{
    public QueryInstant? AsOf { get; init; }
}

public sealed record UntouchedParameters : PagedParameters
{
    public QueryInstant? AsOf { get; init; }

    [DefaultValue("14d")]
    public QueryDuration? Untouched { get; init; }
}

public sealed record ChangesParameters : PagedParameters
{
    public QueryInstant? Since { get; init; }

    public QueryInstant? Until { get; init; }

    [DefaultValue("false")]
    public QueryFlag? Explain { get; init; }

    public override Rejection? Check() => QueryInstant.InOrder(Since, Until, "since", "until");
}

public sealed record HandoversParameters : IQueryParameters
{
    public QueryInstant? From { get; init; }

    public QueryInstant? To { get; init; }

    [Range(1, 1_000_000), DefaultValue("1")]
    public QueryNumber? Page { get; init; }

    [Range(1, 500), DefaultValue("50")]
    public QueryNumber? PageSize { get; init; }

    public Rejection? Check() => QueryInstant.InOrder(From, To, "from", "to");
}

public sealed record AttainmentParameters : IQueryParameters
{
    [Required]
    public QueryPeriod? Period { get; init; }

    public QueryInstant? AsOf { get; init; }

    [Description("Only this team's branch of the target tree.")]
    public string? Team { get; init; }

    [Description("Only this rep's target.")]
    public string? Owner { get; init; }

    [DefaultValue("false")]
    public QueryFlag? Explain { get; init; }
}

public sealed record ActivityParameters : IQueryParameters
{
    public QueryInstant? From { get; init; }

    public QueryInstant? To { get; init; }

    [MaxLength(2), DefaultValue("rep")]
    [Description("What to count by: rep, team, kind or day (a calendar day in the organisation's time zone); two, comma-separated, for a grid (rep,day).")]
    public QueryChoices<ActivityGrouping>? GroupBy { get; init; }

    public string[]? Owner { get; init; }

    public string[]? Team { get; init; }

    public string[]? Kind { get; init; }

    public Rejection? Check() => QueryInstant.InOrder(From, To, "from", "to");
}

public sealed record DaysWithoutRecordParameters : FilteredParameters
{
    public QueryDay? FirstDay { get; init; }

    public QueryDay? LastDay { get; init; }

    [DefaultValue("false")]
    public QueryFlag? Weekends { get; init; }
}
