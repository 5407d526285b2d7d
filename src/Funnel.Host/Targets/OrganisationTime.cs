namespace Funnel.Host.Targets;

/// <summary>
/// The organisation's time zone (Funnel:TimeZone, an IANA id such as Europe/Berlin; UTC by default): the calendar days
/// and periods of targets begin at its midnights.
/// </summary>
public sealed record OrganisationTime(TimeZoneInfo Zone)
{
    public const string Setting = "Funnel:TimeZone";

    public static OrganisationTime From(IConfiguration configuration)
    {
        var id = configuration[Setting] is { Length: > 0 } configured ? configured : "UTC";
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? new OrganisationTime(zone)
            : throw new InvalidOperationException($"{Setting} '{id}' is not a time zone this machine knows (use an IANA id such as Europe/Berlin, or UTC).");
    }
}
