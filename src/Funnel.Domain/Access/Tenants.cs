using System.Text.RegularExpressions;

namespace Funnel.Domain.Access;

/// <summary>
/// A tenant is one sales organisation in the deployment, sealed from the others. Its id names a PostgreSQL schema
/// (its read models), so it stays a plain lower-case identifier.
/// </summary>
public static partial class Tenants
{
    /// <summary>The single-organisation deployment's tenant: it always exists and needs no mention anywhere.</summary>
    public const string Default = "default";

    public const string Rule = "A tenant id is 1 to 30 characters: lower-case letters, digits and '_', starting with a letter.";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>Why a new tenant cannot have this id, or null.</summary>
    public static Rejection? CheckNew(string? id, bool exists) => Rejection.FirstOf(
        IsValid(id) ? null : Rejection.Invalid("tenant", "tenant-id", Rule),
        exists || id == Default ? Rejection.Conflict("tenant", "tenant-exists", $"The tenant '{id}' exists.") : null);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,29}$")]
    private static partial Regex Pattern();
}
