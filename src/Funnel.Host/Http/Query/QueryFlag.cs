using System.Reflection;

namespace Funnel.Host.Http.Query;

/// <summary>true or false (1 or 0).</summary>
public sealed class QueryFlag : QueryValue
{
    private QueryFlag(string? text)
        : base(text) => Value = text?.Trim() is "true" or "1";

    public bool Value { get; }

    public static bool TryParse(string? text, out QueryFlag? flag)
    {
        flag = Blank(text) ? null : new QueryFlag(text);
        return true;
    }

    public override Rejection? Check(string name, PropertyInfo property) =>
        Text?.Trim() is null or "true" or "1" or "false" or "0" ? null : Rejection.Invalid(name, "boolean", $"{name} is true or false.");
}
