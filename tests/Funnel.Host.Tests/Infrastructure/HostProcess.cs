using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Funnel.Domain.Access;
using Funnel.Host.Access;

namespace Funnel.Host.Tests.Infrastructure;

/// <summary>The real host as a child process on its own port: what fault tests kill (SIGKILL) or stop (SIGTERM).</summary>
public sealed class HostProcess : IAsyncDisposable
{
    /// <summary>One key per store, made before its first host starts (a host on a configured store requires one).</summary>
    private static readonly ConcurrentDictionary<string, Task<CreatedApiKey>> Keys = new(StringComparer.Ordinal);

    private readonly Process process;

    private HostProcess(Process process, int port)
    {
        this.process = process;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    private readonly System.Text.StringBuilder said = new();

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Starts Funnel.Host.dll with the given settings (as environment variables) and waits until /health/live answers.</summary>
    public static async Task<HostProcess> StartAsync(IDictionary<string, string> settings, int? port = null)
    {
        var chosen = port ?? FreePort();
        var start = StartInfo(settings, "--urls", $"http://127.0.0.1:{chosen}");
        var apiKey = settings.TryGetValue("ConnectionStrings:Funnel", out var connection)
            ? await Keys.GetOrAdd(connection, c => ApiKeyStore.CreateInAsync(c, new CreateApiKey("test-host", null, Scopes.All)))
            : null;
        var process = Process.Start(start)!;
        // FUNNEL_HOST_LOGS=<directory> keeps each child's console output, for a fault test that needs explaining.
        var logs = Environment.GetEnvironmentVariable("FUNNEL_HOST_LOGS") is { Length: > 0 } logDirectory
            ? TextWriter.Synchronized(new StreamWriter(Path.Combine(logDirectory, $"host-{chosen}.log")) { AutoFlush = true })
            : TextWriter.Null;
        process.OutputDataReceived += (_, line) => logs.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line.Data}");
        process.ErrorDataReceived += (_, line) => logs.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line.Data}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, chosen);
        if (apiKey is not null)
        {
            host.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey.Key);
        }

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            Assert.False(process.HasExited, $"The host exited with {(process.HasExited ? process.ExitCode : 0)} while starting.");
            try
            {
                if ((await host.Http.GetAsync("/health/live")).IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The host did not start within 90 s.");
    }

    /// <summary>Runs Funnel.Host.dll to its end (a command, or a start that is refused): its exit code and all it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IDictionary<string, string> settings, params string[] args)
    {
        using var process = Process.Start(StartInfo(settings, args))!;
        var (output, error) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Starts a command of Funnel.Host.dll (a rebuild, say) without waiting for it: what a fault test kills mid-work.</summary>
    public static HostProcess Launch(IDictionary<string, string> settings, params string[] args)
    {
        var process = Process.Start(StartInfo(settings, args))!;
        var host = new HostProcess(process, FreePort());
        process.OutputDataReceived += (_, line) => host.Heard(line.Data);
        process.ErrorDataReceived += (_, line) => host.Heard(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>What a launched command has printed so far (<see cref="Launch"/>).</summary>
    public string Said
    {
        get
        {
            lock (said)
            {
                return said.ToString();
            }
        }
    }

    private void Heard(string? line)
    {
        lock (said)
        {
            said.AppendLine(line);
        }
    }

    /// <summary>SIGINT: Ctrl+C in the terminal that runs it.</summary>
    public async Task InterruptAsync()
    {
        using var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await interrupt.WaitForExitAsync();
    }

    /// <summary>Funnel.Host.dll in development, without the demo, with the given settings as environment variables.</summary>
    private static ProcessStartInfo StartInfo(IDictionary<string, string> settings, params string[] args)
    {
        var directory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["exec", Path.Combine(directory, "Funnel.Host.dll"), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Funnel__Demo__Seed"] = "false";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    /// <summary>SIGKILL: the process dies mid-work, as on a power cut of the node.</summary>
    public async Task KillAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: what an orchestrator sends to stop a node.</summary>
    public async Task<bool> TerminateAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await ExitsWithinAsync(within);
    }

    /// <summary>Whether the process ends within <paramref name="within"/>.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await KillAsync();
        }

        Http.Dispose();
        process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
