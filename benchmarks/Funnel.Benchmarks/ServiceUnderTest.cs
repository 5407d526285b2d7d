using System.Diagnostics;
using System.Net.Sockets;

namespace Funnel.Benchmarks;

/// <summary>
/// Funnel as it runs in production: its own process (this build's Funnel.Host.dll), on a real Kestrel on 127.0.0.1, on
/// the benchmark's PostgreSQL, the schema applied first with db-apply.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    private readonly Process process;

    private ServiceUnderTest(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ServiceUnderTest> StartAsync(string connectionString)
    {
        await RunAsync(connectionString, "db-apply");
        var port = FreePort();
        var process = Process.Start(StartInfo(connectionString, "--urls", $"http://127.0.0.1:{port}"))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { Length: > 0 })
            {
                Console.Error.WriteLine($"  service: {line.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceUnderTest(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = service.Address };
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(90); await Task.Delay(200))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {process.ExitCode} while starting.");
            }

            try
            {
                if ((await http.GetAsync("/health/live")).IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
            }
        }

        throw new TimeoutException("The service did not start within 90 s.");
    }

    /// <summary>Runs a Funnel command (import, projections rebuild, ...) to its end; returns what it printed.</summary>
    public static async Task<string> RunAsync(string connectionString, params string[] args)
    {
        using var process = Process.Start(StartInfo(connectionString, args))!;
        var (output, error) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        var printed = await output + await error;
        return process.ExitCode == 0 ? printed : throw new InvalidOperationException($"{string.Join(' ', args)} exited with {process.ExitCode}: {printed}");
    }

    private static ProcessStartInfo StartInfo(string connectionString, params string[] args)
    {
        var directory = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["exec", Path.Combine(directory, "Funnel.Host.dll"), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Funnel"] = connectionString;
        start.Environment["Funnel__Solo"] = "true";
        start.Environment["Funnel__Demo__Seed"] = "false";
        return start;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
