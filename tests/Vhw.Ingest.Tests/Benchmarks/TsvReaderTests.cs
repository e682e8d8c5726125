using Vhw.Ingest.Benchmarks.Sources;

namespace Vhw.Ingest.Tests.Benchmarks;

public sealed class TsvReaderTests
{
    static List<TsvRecord> Read(string text) => TsvReader.Read(new StringReader(text), "t.tsv").ToList();

    [Fact]
    public void Splits_on_tabs_and_reads_quoted_fields_with_tabs_newlines_and_doubled_quotes()
    {
        var records = Read("a\tb\tc\n1\t\"x\ty\"\t\"line1\nline2 \"\"q\"\"\"\n\n2\t\t\r\n3\tplain \"inner\" quote\tz");
        Assert.Equal([1, 2, 5, 6], records.Select(r => r.Line));
        Assert.Equal(["a", "b", "c"], records[0].Fields);
        Assert.Equal(["1", "x\ty", "line1\nline2 \"q\""], records[1].Fields);
        Assert.Equal(["2", "", ""], records[2].Fields);
        Assert.Equal(["3", "plain \"inner\" quote", "z"], records[3].Fields);
    }

    [Fact]
    public void An_unclosed_quote_names_the_line_it_opened_on()
    {
        var e = Assert.Throws<TsvFormatException>(() => Read("h\n1\t\"open\nmore\n"));
        Assert.Equal(2, e.Line);
        Assert.Equal("t.tsv: line 2: a quoted field is never closed", e.Message);
    }
}
