using System.Reflection;
using System.Text.Json.Nodes;

namespace Funnel.Host.Http.Query;

/// <summary>
/// A typed query parameter. Binding never fails (a value that does not parse is kept with its text), so the refusal can
/// name the parameter and its rule, as every other refusal does: <see cref="QueryRecord"/> asks <see cref="Check"/>.
/// </summary>
public abstract class QueryValue(string? text)
{
    /// <summary>The value as the query gave it; null when it was absent and the parameter's default stands in.</summary>
    public string? Text { get; private set; } = text;

    /// <summary>What a report's "filters" echo: what was given.</summary>
    public virtual JsonNode? Echo => Text;

    /// <summary>Why the value cannot be read as parameter <paramref name="name"/> (declared as <paramref name="property"/>), if it cannot.</summary>
    public abstract Rejection? Check(string name, PropertyInfo property);

    /// <summary>Marks the value as its parameter's default, read from the default's text: it echoes as absent.</summary>
    internal void StandInForAbsent() => Text = null;

    /// <summary>A blank value is an absent one (the framework binds an empty one as null, a blank one as text).</summary>
    protected static bool Blank(string? text) => string.IsNullOrWhiteSpace(text);
}
