using System.Collections.Concurrent;
using Funnel.Projections.Reports;

namespace Funnel.Host.Dashboard;

/// <summary>
/// The values each filter offers (the owners, teams, regions and products of the open deals now), asked of the API's
/// forecast grouped by each and kept for <see cref="KeepFor"/> per signed-in key and pipeline: they change when a rep or a
/// product comes, not as the time slider moves, and asking again cost four reports on every page.
/// </summary>
public sealed class FilterChoices(TimeProvider clock)
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);

    /// <summary>By a hash of the caller's key (no key on an open service) and the pipeline.</summary>
    private readonly ConcurrentDictionary<(string Caller, string Pipeline), (IReadOnlyDictionary<string, IReadOnlyList<string>> Values, DateTimeOffset Until)> kept = new();

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetAsync(DashboardApi api, HttpContext caller, DashboardView view)
    {
        var key = (Caller(caller), view.Pipeline);
        var now = clock.GetUtcNow();
        if (kept.TryGetValue(key, out var found) && found.Until > now)
        {
            return found.Values;
        }

        var unfiltered = new DashboardView(view.Pipeline, null, false, null, null, null, null, null) { Zone = view.Zone };
        var answers = DashboardData.FilterNames.ToDictionary(f => f, f => api.GetAsync<ForecastReport>(caller, unfiltered.Over("forecast", ("groupBy", f))));
        await Task.WhenAll(answers.Values);
        var values = answers.ToDictionary(a => a.Key, a => (IReadOnlyList<string>)[.. (a.Value.Result.Value?.Groups ?? []).Select(g => g.Key).OfType<string>().Order(StringComparer.Ordinal)]);
        // A refused or failed answer is shown as it is, and asked again next time.
        if (answers.Values.All(a => a.Result.Value is not null))
        {
            foreach (var expired in kept.Where(k => k.Value.Until <= now).Select(k => k.Key).ToList())
            {
                kept.TryRemove(expired, out _);
            }

            kept[key] = (values, now + KeepFor);
        }

        return values;
    }

    private static string Caller(HttpContext caller) => DashboardSignIn.KeyOf(caller) is { } apiKey ? Access.ApiKey.HashOf(apiKey) : "";
}
