using System.Text;

namespace Vhw.Transform;

/// <summary>Just enough SQL lexing for the runner: statements, comments and quoted text.</summary>
public static class SqlText
{
    private enum Kind { Code, Comment, StringContent, IdentifierContent }

    /// <summary>Splits on <c>;</c> outside comments, '…' strings and "…" identifiers; drops statements that are only comments.</summary>
    public static IReadOnlyList<string> SplitStatements(string sql)
    {
        var statements = new List<string>();
        int start = 0;
        Scan(sql, (i, c, kind) =>
        {
            if (kind != Kind.Code || c != ';') return;
            Add(sql[start..i]);
            start = i + 1;
        });
        Add(sql[start..]);
        return statements;

        void Add(string statement)
        {
            if (StripCommentsAndStrings(statement).Trim().Length > 0) statements.Add(statement.Trim());
        }
    }

    /// <summary>The SQL without comments, with the contents of '…' string literals blanked (identifiers kept).</summary>
    public static string StripCommentsAndStrings(string sql)
    {
        var code = new StringBuilder(sql.Length);
        Scan(sql, (_, c, kind) => code.Append(kind switch
        {
            Kind.Code or Kind.IdentifierContent => c,
            Kind.Comment => c == '\n' ? '\n' : ' ',
            _ => ' ',
        }));
        return code.ToString();
    }

    // Reports every character of sql with what it belongs to.
    private static void Scan(string sql, Action<int, char, Kind> on)
    {
        int i = 0;
        while (i < sql.Length)
        {
            char c = sql[i];
            char next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            if (c == '-' && next == '-')
            {
                for (; i < sql.Length && sql[i] != '\n'; i++) on(i, sql[i], Kind.Comment);
            }
            else if (c == '/' && next == '*')
            {
                int end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                int stop = end < 0 ? sql.Length : end + 2;
                for (; i < stop; i++) on(i, sql[i], Kind.Comment);
            }
            else if (c is '\'' or '"')
            {
                var content = c == '"' ? Kind.IdentifierContent : Kind.StringContent;
                on(i++, c, Kind.Code);
                while (i < sql.Length)
                {
                    bool quote = sql[i] == c;
                    if (quote && i + 1 < sql.Length && sql[i + 1] == c)
                    {
                        on(i, c, content); on(i + 1, c, content); i += 2; // doubled quote inside the literal
                        continue;
                    }
                    if (quote) { on(i++, c, Kind.Code); break; }
                    on(i, sql[i], content);
                    i++;
                }
            }
            else
            {
                on(i++, c, Kind.Code);
            }
        }
    }
}
