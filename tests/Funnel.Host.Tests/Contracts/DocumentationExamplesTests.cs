using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Funnel.Host.Storage;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Contracts;

/// <summary>
/// The README's walk and the docs' examples, run as a reader pastes them: every shell block of README.md,
/// docs/api.md and docs/operations.md, in order, through bash, against a fresh private store with the demo, the
/// commands (`dotnet run --project src/Funnel.Host -- ...`) run as the built program on the same store. No call may
/// answer 5xx, nor 4xx unless its block says that status; no command may fail (exit 1 or 2). A block followed by an
/// ```output block must print what it shows (<see cref="DocumentationOutput"/>): the outputs are written by this test
/// (FUNNEL_WRITE_DOCS=1), never by hand. The demo ends on <see cref="Day"/> and `date -d '90 days ago'` counts from
/// that day, so the outputs are the same on every run (a plain `date`, the instant of a command, stays now).
/// </summary>
public sealed partial class DocumentationExamplesTests
{
    private static readonly string[] Documents = ["README.md", "docs/api.md", "docs/operations.md"];

    /// <summary>The day the docs' examples are run on: the demo's last day, and what `date -d` counts from.</summary>
    private const string Day = "2026-11-30";

    [Fact]
    public async Task every_example_in_the_readme_and_the_docs_runs_as_documented()
    {
        var root = RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("funnel-docs-").FullName;
        CopyDirectory(Path.Combine(root, "samples"), Path.Combine(work, "samples"));
        var data = Path.Combine(Environment.UserName == "root" ? "/var/tmp" : Path.GetTempPath(), $"funnel-docs-{Guid.NewGuid():N}", "pg");
        var store = new Dictionary<string, string> { ["Funnel:DataDirectory"] = data, ["Funnel:Demo:Seed"] = "true", ["Funnel:Demo:Deals"] = "600", ["Funnel:Demo:End"] = Day };
        var write = Environment.GetEnvironmentVariable("FUNNEL_WRITE_DOCS") == "1";
        var host = await HostProcess.StartAsync(store);
        try
        {
            await RunExamplesAsync(root, work, data, host, write);
        }
        finally
        {
            await host.DisposeAsync();
            await RemoveAsync(work, data);
        }
    }

    /// <summary>
    /// The service is killed, so its private PostgreSQL outlives it: stopped here, and the store and the reader's folder
    /// deleted (else each run left a server running and about 300 MB behind).
    /// </summary>
    private static async Task RemoveAsync(string work, string data)
    {
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            await (await PrivatePostgres.StartAsync(data)).StopAsync();
        }

        Directory.Delete(Path.GetDirectoryName(data)!, recursive: true);
        Directory.Delete(work, recursive: true);
    }

    private static async Task RunExamplesAsync(string root, string work, string data, HostProcess host, bool write)
    {
        await WaitUntilUpToDateAsync(host.Http);

        // A reader's shell keeps what an earlier block set (H=..., R=...): each block runs after those assignments.
        var (failures, carried, calls) = (new List<string>(), new List<string>(), 0);
        foreach (var document in Documents)
        {
            var markdown = File.ReadAllText(Path.Combine(root, document));
            var written = new List<(DocumentationOutput Shown, string Printed)>();
            foreach (var (line, block, shown) in ShellBlocks(markdown))
            {
                var log = Path.Combine(work, "calls.log");
                File.Delete(log);
                var (exit, printed, errors) = await RunAsync(string.Join('\n', carried) + "\n" + block, work, host.Http.BaseAddress!, data, log);

                // Shown as a reader would see them: their clone, and the private store in its default place.
                printed = printed.Replace(Path.GetDirectoryName(data)!, "~/.local/share/funnel", StringComparison.Ordinal).Replace(work, "~/funnel", StringComparison.Ordinal);
                carried.AddRange(block.Split('\n').Where(l => Assignment().IsMatch(l)));
                var allowed = DocumentedStatus().Matches(block).Select(m => m.Groups[1].Value).ToHashSet();
                foreach (var call in File.Exists(log) ? File.ReadAllLines(log) : [])
                {
                    calls++;
                    var status = call.Split('\t')[0];
                    var wrong = status.StartsWith('5') || (status.StartsWith('4') && !allowed.Contains(status)) || status is "1" or "2" or "000";
                    if (wrong)
                    {
                        failures.Add($"{document}:{line}: {call}");
                    }
                }

                Assert.True(exit == 0, $"{document}:{line}: the block failed ({exit}): {printed}{errors}");
                if (shown is not null)
                {
                    written.Add((shown, printed));
                    if (!write && !shown.Shows(printed))
                    {
                        failures.Add($"{document}:{line}: the block printed what its output does not show (FUNNEL_WRITE_DOCS=1 writes it):\n{shown.Rewritten(printed)}");
                    }
                }

                await WaitUntilUpToDateAsync(host.Http);
            }

            if (write)
            {
                File.WriteAllText(Path.Combine(root, document), DocumentationOutput.Write(markdown, written));
            }
        }

        // In full: Assert.Empty cuts a collection's items short, and a block's difference is the whole point.
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));

        // The README's walk and the API's examples: over forty calls, each of which answered.
        Assert.True(calls > 40, $"only {calls} calls ran");
    }

    /// <summary>
    /// The ```sh blocks a reader runs against the service (not the ones that start it, test, generate code or open psql),
    /// each with the ```output block that follows it, if any.
    /// </summary>
    private static IEnumerable<(int Line, string Block, DocumentationOutput? Shown)> ShellBlocks(string markdown)
    {
        foreach (Match block in ShellBlock().Matches(markdown))
        {
            var text = block.Groups[1].Value;
            var runsService = text.Split('\n').Any(l => Regex.IsMatch(l, @"^dotnet (run --project src/Funnel.Host\s*(#.*)?$|test)"));
            if (!runsService && !text.Contains("psql", StringComparison.Ordinal) && !text.Contains("codegen", StringComparison.Ordinal))
            {
                yield return (markdown[..block.Index].Count(c => c == '\n') + 1, text, DocumentationOutput.After(markdown, block.Index + block.Length));
            }
        }
    }

    /// <summary>
    /// Runs one block in bash in <paramref name="work"/>: the docs' address is the test host's, curl and dotnet are
    /// functions that log each call's status (or command's exit code) to <paramref name="log"/>.
    /// </summary>
    private static async Task<(int Exit, string Printed, string Errors)> RunAsync(string block, string work, Uri host, string data, string log)
    {
        var program = Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "Funnel.Host.dll");
        var script = $$"""
            curl() {
              local out; out=$(command curl -s -w '\n%{http_code}' "$@"); printf '%s\t%s\n' "${out##*$'\n'}" "$*" >> '{{log}}'
              local body="${out%$'\n'*}"; [[ -n "$body" ]] && printf '%s\n' "$body"; return 0
            }
            date() {
              local args=()
              while (($#)); do
                if [[ "$1" == "-d" ]]; then args+=(-d "{{Day}} 12:00 $2"); shift 2; else args+=("$1"); shift; fi
              done
              command date "${args[@]}"
            }
            dotnet() {
              if [[ "$1 $2 $3" == "run --project src/Funnel.Host" ]]; then
                shift 3; if [[ "${1:-}" == "--" ]]; then shift; fi
                command dotnet exec '{{program}}' "$@"; local code=$?
                if [[ $code == 1 || $code == 2 ]]; then printf '%s\tdotnet %s\n' "$code" "$*" >> '{{log}}'; fi
                return 0
              fi
              command dotnet "$@"
            }

            """ + block.Replace("http://localhost:5080", host.ToString().TrimEnd('/'), StringComparison.Ordinal);
        var start = new ProcessStartInfo("bash") { WorkingDirectory = work, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["Funnel__DataDirectory"] = data;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["PWD"] = work;
        using var bash = Process.Start(start)!;
        await bash.StandardInput.WriteAsync(script);
        bash.StandardInput.Close();
        var (output, error) = (bash.StandardOutput.ReadToEndAsync(), bash.StandardError.ReadToEndAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await bash.WaitForExitAsync(timeout.Token);
        return (bash.ExitCode, await output, await error);
    }

    private static async Task WaitUntilUpToDateAsync(HttpClient http)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            // Ready answers 503 with the same body while the daemon is not running yet.
            var ready = JsonDocument.Parse(await (await http.GetAsync("/health/ready")).Content.ReadAsStringAsync()).RootElement;
            if (ready.GetProperty("checks").GetProperty("lag").GetProperty("data").GetProperty("upToDate").GetBoolean())
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The read models did not catch up within 120 s.");
    }

    private static string RepositoryRoot()
    {
        for (var directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "Funnel.sln")))
            {
                return directory;
            }
        }

        throw new DirectoryNotFoundException("The repository (Funnel.sln) is not above the test's folder.");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"^[A-Z]=(?!\$\()")]
    private static partial Regex Assignment();

    /// <summary>A status a block says a call answers: "# 400 {...}".</summary>
    [GeneratedRegex(@"(?m)^#\s+(\d{3})\b")]
    private static partial Regex DocumentedStatus();
}
