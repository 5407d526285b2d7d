using Microsoft.AspNetCore.Mvc.Testing;

namespace Funnel.Benchmarks;

/// <summary>A service in the benchmark's process (<see cref="ReportFigures.StartServiceAsync"/>) and a client with its key.</summary>
internal sealed class BenchService(WebApplicationFactory<Program> factory, HttpClient http) : IAsyncDisposable
{
    public HttpClient Http => http;

    public IServiceProvider Services => factory.Services;

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await factory.DisposeAsync();
    }
}

/// <summary>A store loaded and projected, with its PostgreSQL and its service (<see cref="ReportFigures"/>).</summary>
internal sealed record LoadedStore(Funnel.Host.Storage.PrivatePostgres Postgres, BenchService Service, long Events, double? AppendedSeconds, double ProjectedSeconds,
    Func<Marten.IDocumentStore, Task<int>> Seed) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
