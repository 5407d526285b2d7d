namespace Funnel.Domain;

/// <summary>Rules for the free text callers send (names, owners, reasons): bounded, and free of control characters PostgreSQL or a log would choke on.</summary>
public static class Text
{
    public const int MaxLength = 200;

    public static Rejection? Check(string? value, string field, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required || value is not null && value.Length > 0
                ? Rejection.Invalid(field, "required", $"{field} may not be empty.")
                : null;
        }

        if (value.Length > MaxLength)
        {
            return Rejection.Invalid(field, "max-length", $"{field} is at most {MaxLength} characters.");
        }

        return HasControlCharacters(value) ? Rejection.Invalid(field, "control-characters", $"{field} may not contain control characters.") : null;
    }

    /// <summary>NUL, which PostgreSQL cannot store in text, and the other C0 controls, which no name or reason needs.</summary>
    public static bool HasControlCharacters(string value) => value.Any(char.IsControl);
}
