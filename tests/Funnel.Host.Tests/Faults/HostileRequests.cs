using System.Text;

namespace Funnel.Host.Tests.Faults;

/// <summary>A seeded generator of malformed and hostile requests across every endpoint: same seed, same requests.</summary>
public sealed class HostileRequests(int seed)
{
    private static readonly string[] Reports = ["conversion", "dwell", "forecast", "snapshot", "velocity", "losses", "stalled", "changes"];
    private static readonly string[] DealCommands = ["stage", "quote", "amount", "owner", "expected-close", "win", "lose", "reopen"];
    private static readonly string[] Parameters =
        ["from", "to", "asOf", "knownAt", "within", "since", "until", "owner", "team", "region", "product", "explain", "groupBy", "probabilities", "page", "pageSize", "status", "stage", "pipelineId", "after", "limit", "asof", "x"];

    private static readonly string[] Ids = ["FZ-1", "fz", "missing", "'; drop table funnel.mt_events;--", "../../etc/passwd", "%01", "a b", "%E2%82", new('x', 300), "ok-id"];

    private static readonly string[] Fields =
        ["dealId", "pipelineId", "name", "owner", "team", "region", "product", "account", "amount", "currency", "expectedCloseDate", "tags", "stage", "occurredAt", "expectedVersion", "quoteId", "reason", "stages", "probability"];

    private readonly Random random = new(seed);

    public HttpRequestMessage Next()
    {
        return random.Next(10) switch
        {
            < 4 => Command(),
            < 5 => Pipeline(),
            < 9 => Read(),
            _ => Odd(),
        };
    }

    private HttpRequestMessage Command()
    {
        var url = random.Next(3) == 0 ? "/api/deals" : $"/api/deals/{Pick(Ids)}/{Pick(DealCommands)}";
        return WithBody(HttpMethod.Post, url);
    }

    private HttpRequestMessage Pipeline() => WithBody(random.Next(5) == 0 ? HttpMethod.Post : HttpMethod.Put, $"/api/pipelines/{Pick(Ids)}");

    private HttpRequestMessage Read()
    {
        var path = random.Next(6) switch
        {
            0 => $"/api/deals/{Pick(Ids)}",
            1 => $"/api/deals/{Pick(Ids)}/history",
            2 => "/api/deals",
            3 => "/api/events",
            4 => $"/api/pipelines/{Pick(Ids)}",
            _ => $"/api/funnel/{Pick(["fz", "fz", "missing", "%01"])}/{Pick(Reports)}",
        };
        var query = string.Join("&", Enumerable.Range(0, random.Next(4)).Select(_ => $"{Pick(Parameters)}={Uri.EscapeDataString(QueryValue())}"));
        return new HttpRequestMessage(HttpMethod.Get, query.Length == 0 ? path : $"{path}?{query}");
    }

    private HttpRequestMessage Odd() => random.Next(4) switch
    {
        0 => new HttpRequestMessage(Pick([HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options]), $"/api/deals/{Pick(Ids)}"),
        1 => new HttpRequestMessage(HttpMethod.Post, "/api/deals") { Content = new StringContent(Body(), Encoding.UTF8, Pick(["text/plain", "application/xml", "application/x-www-form-urlencoded"])) },
        2 => new HttpRequestMessage(HttpMethod.Get, $"/api/funnel/fz/{Pick(Reports)}?{Pick(Parameters)}={Uri.EscapeDataString(new string('9', random.Next(1, 3000)))}"),
        _ => new HttpRequestMessage(HttpMethod.Post, "/api/deals") { Content = new ByteArrayContent(InvalidUtf8()) { Headers = { ContentType = new("application/json") } } },
    };

    private HttpRequestMessage WithBody(HttpMethod method, string url) =>
        new(method, url) { Content = new StringContent(Body(), Encoding.UTF8, "application/json") };

    private string Body() => random.Next(12) switch
    {
        0 => Pick(["", "{", "{\"a\":}", "nul", "null", "[]", "[{}]", "\"text\"", "42", "{\"a\":1,}", "{'a':1}"]),
        1 => string.Concat(Enumerable.Repeat("{\"a\":", random.Next(20, 200))) + "1" + new string('}', random.Next(0, 200)),
        2 => "{\"name\":\"" + new string('x', random.Next(100, 1_200_000)) + "\"}",
        _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(1, 8)).Select(_ => $"\"{Pick(Fields)}\":{Value()}")) + "}",
    };

    private string Value() => random.Next(16) switch
    {
        0 => "null",
        1 => Pick(["79228162514264337593543950335", "-79228162514264337593543950335", "1e400", "-1", "0.0000000000000000000000000001", "1000000000000.01", "12000", "NaN", "Infinity"]),
        2 => Pick(["true", "false", "[]", "{}", "[null]", "{\"id\":\"a\",\"name\":\"A\",\"probability\":2}"]),
        3 => "\"" + Pick(["\\u0000", "a\\u0000b", "\\ud800", "\\udfff\\ud800", "\\n\\t\\r", "\\u001b[31m"]) + "\"",
        4 => "\"" + Pick(["2026-13-45", "9999-12-31T23:59:59Z", "0001-01-01", "1899-12-31T00:00:00Z", "2026-03-01T09:00:00+25:00", "yesterday", "2026-03-01"]) + "\"",
        5 => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 80)).Select(_ => "\"tag\"")) + "]",
        6 => "\"" + Pick(["validate", "develop", "propose", "close", "won", "lost", "sales", "fz"]) + "\"",
        7 => random.Next(-5, 100).ToString(System.Globalization.CultureInfo.InvariantCulture),
        8 => "[{\"id\":\"a\",\"name\":\"A\",\"probability\":0.5,\"maxDays\":" + Pick(["1e9", "-1", "3650", "null"]) + "}]",
        _ => "\"" + Pick(Ids.Concat(["ann", "FZ-" + random.Next(1000), "' OR 1=1 --", "<script>alert(1)</script>", "USD", "usd"]).ToArray()) + "\"",
    };

    private string QueryValue() => random.Next(10) switch
    {
        0 => "\0",
        1 => Pick(["9999-12-31T23:59:59.9999999Z", "0001-01-01", "2026-02-30", "-1", "now", "2026-03-01T00:00:00+14:00"]),
        2 => Pick(["10675200d", "P99999999D", "-3d", "0d", "30d", "12h", "P30D", "1e9m"]),
        3 => Pick(["-1", "0", "2147483648", "99999999999999999999", "501", "1"]),
        4 => Pick(["true", "yes", "current", "observed", "stage", "closeMonth", "open", "won"]),
        5 => "' OR 1=1; --",
        6 => new string('z', random.Next(1, 1500)),
        _ => Pick(["ann", "east", "emea", "gtx", "2026-03-01", "fz"]),
    };

    private byte[] InvalidUtf8() => [(byte)'{', (byte)'"', (byte)'n', (byte)'"', (byte)':', (byte)'"', (byte)random.Next(0x80, 0x100), (byte)random.Next(0x00, 0x80), (byte)'"', (byte)'}'];

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];
}
