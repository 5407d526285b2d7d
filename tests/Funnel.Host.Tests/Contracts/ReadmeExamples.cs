namespace Funnel.Host.Tests.Contracts;

/// <summary>The README's first session (define a pipeline, capture a deal, move it to won), as requests.</summary>
public static class ReadmeExamples
{
    public sealed record Example(string Method, string Path, string? Body, int Status, string? IdempotencyKey = null);

    public const string DealId = "crm-42";

    public static readonly Example[] Session =
    [
        new("PUT", "/api/pipelines/sales", """
            {"name":"Sales","stages":[{"id":"validate","name":"Validate","probability":0.1},{"id":"develop","name":"Develop","probability":0.3},
             {"id":"propose","name":"Propose","probability":0.5},{"id":"close","name":"Close","probability":0.8,"maxDays":30}]}
            """, 201),
        new("GET", "/api/pipelines/sales", null, 200),
        new("POST", "/api/deals", """
            {"dealId":"crm-42","pipelineId":"sales","name":"Acme renewal","owner":"ann","team":"east","region":"emea",
             "product":"gtx","account":"Acme","amount":12000,"currency":"USD","expectedCloseDate":"2026-12-31","tags":["renewal"]}
            """, 201, "crm-42-capture"),
        new("POST", "/api/deals/crm-42/stage", """{"stage":"propose","expectedVersion":1}""", 200),
        new("POST", "/api/deals/crm-42/quote", """{"amount":12500,"quoteId":"Q-7"}""", 200),
        new("POST", "/api/deals/crm-42/amount", """{"amount":11800}""", 200),
        new("POST", "/api/deals/crm-42/owner", """{"owner":"bob","team":"west"}""", 200),
        new("POST", "/api/deals/crm-42/expected-close", """{"expectedCloseDate":"2027-01-31"}""", 200),
        new("POST", "/api/deals/crm-42/lose", """{"reason":"price"}""", 200),
        new("POST", "/api/deals/crm-42/reopen", """{"stage":"close"}""", 200),
        new("POST", "/api/deals/crm-42/win", """{"amount":11500}""", 200),
        new("GET", "/api/deals/crm-42", null, 200),
    ];

    /// <summary>Reads, the README's batch and refusals after the session, each answered with a body the document describes.</summary>
    public static readonly Example[] Reads =
    [
        new("GET", "/api/deals/crm-42/history", null, 200),
        new("GET", "/api/deals?pipelineId=sales&status=won&owner=bob&page=1&pageSize=50", null, 200),
        new("GET", "/api/funnel/sales/conversion?from=2026-01-01&to=2027-07-01&within=30d&explain=true", null, 200),
        new("GET", "/api/funnel/sales/conversion", null, 200),
        new("GET", "/api/funnel/sales/dwell?explain=true", null, 200),
        new("GET", "/api/funnel/sales/forecast?groupBy=owner&probabilities=current", null, 200),
        new("GET", "/api/funnel/sales/snapshot?explain=true", null, 200),
        new("GET", "/api/funnel/sales/velocity?from=2026-01-01", null, 200),
        new("GET", "/api/funnel/sales/losses?explain=true", null, 200),
        new("GET", "/api/funnel/sales/stalled?page=1&pageSize=50", null, 200),
        new("GET", "/api/funnel/sales/changes?explain=true", null, 200),
        new("POST", "/api/commands", """
            [{"type":"capture","dealId":"crm-43","pipelineId":"sales","name":"Globex","owner":"ann","amount":5000},
             {"type":"stage","dealId":"crm-43","stage":"develop"},
             {"type":"stage","dealId":"crm-43","stage":"nowhere"}]
            """, 200, "crm-sync-2026-03-02"),
        new("POST", "/api/activities", """{"activityId":"bob-2026-03-02-1","rep":"bob","kind":"call","account":"Acme","occurredAt":"2026-03-02T10:00:00Z","durationMinutes":20,"outcome":"reached"}""", 201),
        new("POST", "/api/activities", """{"activityId":"bob-2026-03-02-1","rep":"bob","kind":"call","account":"Acme","occurredAt":"2026-03-02T10:00:00Z","durationMinutes":20,"outcome":"reached"}""", 200),
        new("POST", "/api/activities/batch", """
            [{"activityId":"bob-2026-03-02-2","rep":"bob","kind":"email","account":"Acme","occurredAt":"2026-03-02T11:00:00Z"},
             {"activityId":"bob-2026-03-02-3","rep":"bob","kind":"visit","occurredAt":"2026-03-02T14:00:00Z","durationMinutes":90},
             {"rep":"bob","kind":"smoke signal","occurredAt":"2026-03-02T15:00:00Z"}]
            """, 200),
        new("GET", "/api/reps/bob/diary?date=2026-03-02", null, 200),
        new("GET", "/api/funnel/sales/activity?from=2026-03-01&to=2026-04-01&groupBy=rep,day", null, 200),
        new("GET", "/api/funnel/sales/days-without-record?firstDay=2026-03-02&lastDay=2026-03-06", null, 200),
        new("GET", "/api/funnel/sales/untouched?untouched=14d", null, 200),
        new("GET", "/api/funnel/sales/effort", null, 200),
        new("GET", "/api/funnel/nope/conversion", null, 404),
        new("GET", "/api/funnel/sales/conversion?asof=2026-01-01", null, 400),
        new("POST", "/api/deals/crm-42/win", "{}", 409),
        new("POST", "/api/deals/none/stage", """{"stage":"close"}""", 404),
        new("POST", "/api/deals", """{"dealId":"crm-42","pipelineId":"sales","name":"Again","owner":"ann","amount":1}""", 409),
        new("POST", "/api/deals", """{"pipelineId":"sales","name":"X","owner":"ann","amount":-1}""", 400),
        new("POST", "/api/deals", "not json", 415),
    ];
}
