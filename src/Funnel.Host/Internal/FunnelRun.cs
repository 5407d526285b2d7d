using JasperFx;

namespace Funnel.Host.Internal;

public static class FunnelRun
{
    private static readonly string[] ListeningFlags = ["--urls", "--http_ports", "--https_ports"];

    /// <summary>
    /// The service, or a command (import, verify, keys, ...). JasperFx runs a host given --urls itself and answers 0 even
    /// when it fails to start; that host is run here, so a refused start exits with 1.
    /// </summary>
    public static async Task<int> RunFunnelAsync(this WebApplication app, string[] args)
    {
        if (!args.Any(a => ListeningFlags.Any(flag => a.Equals(flag, StringComparison.OrdinalIgnoreCase))))
        {
            return await app.RunJasperFxCommands(args);
        }

        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception e)
        {
            // The top of the process: whatever stopped the host is reported once, and the exit code says so.
            await Console.Error.WriteLineAsync($"Funnel stopped: {e.GetBaseException().Message}");
            return 1;
        }
    }
}
