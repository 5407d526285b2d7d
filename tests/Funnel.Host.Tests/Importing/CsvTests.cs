using Funnel.Host.Importing;

namespace Funnel.Host.Tests.Importing;

/// <summary>RFC 4180 as the import reads it: what it allows, and every broken form refused with its line and column.</summary>
public sealed class CsvTests
{
    private static List<(int Line, string[] Fields)> Read(string text) => [.. Csv.Read(new StringReader(text))];

    [Fact]
    public void quoted_fields_hold_commas_doubled_quotes_and_line_breaks_and_crlf_ends_a_line()
    {
        var rows = Read("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\n\n3,\n");

        Assert.Equal([(1, new[] { "a", "b" }), (2, ["x, y", "say \"hi\""]), (3, ["two\nlines", "z"]), (6, ["3", ""])], rows.Select(r => (r.Line, r.Fields)));
    }

    [Theory]
    [InlineData("a,b\nc,\"d", 2, 2, "a quote opened here is never closed.")]
    [InlineData("a,b\nc,d\"e\n", 2, 2, "a quote inside a field that does not begin with one")]
    [InlineData("a,\"b\"c\n", 1, 2, "text after a field's closing quote")]
    [InlineData("a,b\rc,d\n", 1, 2, "a carriage return that does not end a line")]
    public void a_broken_file_is_refused_naming_the_line_and_column(string text, int line, int column, string problem)
    {
        var refused = Assert.Throws<CsvFormatException>(() => Read(text));

        Assert.Equal((line, column), (refused.Line, refused.Column));
        Assert.StartsWith($"line {line}, column {column}: {problem}", refused.Message, StringComparison.Ordinal);
    }
}
