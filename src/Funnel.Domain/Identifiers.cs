using System.Text.RegularExpressions;

namespace Funnel.Domain;

/// <summary>Ids callers choose (deal and pipeline ids) travel in URLs and CSV files, so they stay plain.</summary>
public static partial class Identifiers
{
    public const string Rule = "An id is 1 to 100 characters: letters, digits, '.', '_', ':' or '-'.";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,100}$")]
    private static partial Regex Pattern();
}
