namespace Funnel.Domain;

/// <summary>Why a command was refused: which field or rule, and how a caller should read it.</summary>
public sealed record Rejection(RejectionKind Kind, string Field, string Rule, string Message)
{
    public static Rejection Invalid(string field, string rule, string message) => new(RejectionKind.Invalid, field, rule, message);
    public static Rejection NotFound(string field, string rule, string message) => new(RejectionKind.NotFound, field, rule, message);
    public static Rejection Conflict(string field, string rule, string message) => new(RejectionKind.Conflict, field, rule, message);

    /// <summary>The first of the checks that failed, in order (input before state), or null when all passed.</summary>
    public static Rejection? FirstOf(params Rejection?[] checks) => checks.FirstOrDefault(c => c is not null);
}

public enum RejectionKind
{
    Invalid,
    NotFound,
    Conflict,
}

/// <summary>The outcome of a pure decision: the events to append, or the reason nothing is appended.</summary>
public sealed class Decision
{
    private Decision(IReadOnlyList<object> events, Rejection? rejection)
    {
        Events = events;
        Rejection = rejection;
    }

    public IReadOnlyList<object> Events { get; }

    public Rejection? Rejection { get; }

    public bool IsRejected => Rejection is not null;

    public static Decision Accept(params object[] events) => new(events, null);

    public static Decision Unchanged { get; } = new([], null);

    public static Decision Reject(Rejection rejection) => new([], rejection);

    public static implicit operator Decision(Rejection rejection) => Reject(rejection);
}
