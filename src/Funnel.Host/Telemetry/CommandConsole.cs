using System.Text.RegularExpressions;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Funnel.Host.Telemetry;

/// <summary>
/// The console JasperFx's commands write to, with its noise left out and one of its slips mended: it announces every
/// assembly it searches for commands, warns about overriding services nobody overrides (WebApplication builds its host
/// first), opens some commands with an ASCII-art banner, and prints some markup as plain text
/// ("[purple]Finished rebuild in 152790 ms[/]").
/// Colours appear on a terminal only (Spectre detects a redirected output).
/// </summary>
public sealed partial class CommandConsole(IAnsiConsole inner) : IAnsiConsole
{
    public static void Install() => AnsiConsole.Console = new CommandConsole(AnsiConsole.Create(new AnsiConsoleSettings()));

    public Profile Profile => inner.Profile;

    public IAnsiConsoleCursor Cursor => inner.Cursor;

    public IAnsiConsoleInput Input => inner.Input;

    public IExclusivityMode ExclusivityMode => inner.ExclusivityMode;

    public RenderPipeline Pipeline => inner.Pipeline;

    public void Clear(bool home) => inner.Clear(home);

    public void WriteAnsi(Action<AnsiWriter> action) => inner.WriteAnsi(action);

    public void Write(IRenderable renderable)
    {
        // The framework's commands open with a banner of its own name in ASCII art (db-apply, resources).
        if (renderable is FigletText)
        {
            return;
        }

        var text = string.Concat(renderable.Render(RenderOptions.Create(inner), int.MaxValue).Select(s => s.Text));
        if (Noise().IsMatch(text))
        {
            return;
        }

        inner.Write(RawMarkup().IsMatch(text.TrimEnd('\n', '\r')) ? new Markup(text) : renderable);
    }

    [GeneratedRegex(@"^(Searching '.*' for commands|Cannot override services when the IHost is already constructed)\s*$")]
    private static partial Regex Noise();

    [GeneratedRegex(@"^\[[a-z]+\][^\[\]]*\[/\]$")]
    private static partial Regex RawMarkup();
}
