namespace Funnel.Host.Importing;

public interface IImportProgress
{
    void Report(int done, int total, TimeSpan elapsed);
}

/// <summary>A progress bar with rate and ETA on a terminal; a plain line every tenth of the way otherwise.</summary>
public sealed class ConsoleImportProgress(TextWriter output, bool terminal) : IImportProgress
{
    private int lastTenth = -1;

    public static ConsoleImportProgress ForConsole() => new(Console.Out, !Console.IsOutputRedirected);

    public void Report(int done, int total, TimeSpan elapsed)
    {
        var fraction = total == 0 ? 1 : (double)done / total;
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var eta = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
        var text = $"{done:N0}/{total:N0} rows, {rate:N0} rows/s, ETA {eta:mm\\:ss}";
        if (terminal)
        {
            var filled = (int)(fraction * 30);
            output.Write($"\r[{new string('#', filled)}{new string('.', 30 - filled)}] {fraction,4:P0} {text}   ");
            if (done >= total)
            {
                output.WriteLine();
            }
        }
        else if ((int)(fraction * 10) is var tenth && tenth > lastTenth)
        {
            lastTenth = tenth;
            output.WriteLine($"import: {fraction:P0} {text}");
        }
    }
}
