using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Funnel.Host.Tests.Infrastructure;

public static class HttpAssertions
{
    /// <summary>A body written out as JSON text (to send exactly these bytes, malformed parts included).</summary>
    public static StringContent JsonText(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string url, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return http.SendAsync(request);
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Asserts a problem-details answer with the status, and the field and rule it names.</summary>
    public static async Task AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string field, string rule)
    {
        var json = await response.ReadJsonAsync(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Assert.Equal(field, json.GetProperty("field").GetString());
        Assert.Equal(rule, json.GetProperty("rule").GetString());
    }
}
