using System.Text.RegularExpressions;

namespace Vhw.Transform;

/// <summary>
/// The SQL the transform runs: schema.sql (raw views), macros/*.sql, models/&lt;layer&gt;/**.sql and queries/*.sql.
/// Models run staging → intermediate → marts, in ordinal file-name order within a layer; each model is
/// named after its file. <see cref="Embedded"/> is what ships in the assembly.
/// </summary>
public sealed partial class SqlProject
{
    /// <summary>Model layers in run order.</summary>
    public static IReadOnlyList<string> Layers { get; } = ["staging", "intermediate", "marts"];

    private static readonly Lazy<SqlProject> EmbeddedProject = new(LoadEmbedded);

    public SqlProject(string schema, IEnumerable<SqlFile> files)
    {
        Schema = schema;
        Files = files.Select(f => f with { Path = f.Path.Replace('\\', '/') }).ToList();
        foreach (var f in Files.Where(f => f.Layer is { } layer && !Layers.Contains(layer)))
            throw new ArgumentException($"{f.Path}: unknown layer '{f.Layer}' (expected {string.Join(", ", Layers)})");
        Macros = Sorted(Files.Where(f => f.Path.StartsWith("macros/", StringComparison.Ordinal)));
        Models = Layers.SelectMany(layer => Sorted(Files.Where(f => f.Layer == layer))).ToList();
        Queries = Sorted(Files.Where(f => f.Path.StartsWith("queries/", StringComparison.Ordinal)));
    }

    /// <summary>The SQL embedded in Vhw.Transform.dll.</summary>
    public static SqlProject Embedded => EmbeddedProject.Value;

    public string Schema { get; }
    public IReadOnlyList<SqlFile> Files { get; }
    public IReadOnlyList<SqlFile> Macros { get; }
    public IReadOnlyList<SqlFile> Models { get; }
    public IReadOnlyList<SqlFile> Queries { get; }

    /// <summary>view for staging, table for intermediate and marts, unless the model says otherwise (<see cref="ModelMaterialization"/>).</summary>
    public static string MaterializationOf(SqlFile model) => ModelMaterialization.Of(model).Kind;

    /// <summary>The SQL of a repository checkout (schema.sql, transform/macros, transform/models, queries) to iterate without rebuilding.</summary>
    public static SqlProject FromDirectory(string repositoryRoot)
    {
        string root = Path.GetFullPath(repositoryRoot);
        IEnumerable<SqlFile> Read(string folder, string prefix) =>
            !Directory.Exists(Path.Combine(root, folder)) ? [] :
            Directory.EnumerateFiles(Path.Combine(root, folder), "*.sql", SearchOption.AllDirectories)
                .Select(p => new SqlFile(prefix + Path.GetRelativePath(Path.Combine(root, folder), p), File.ReadAllText(p)));
        return new SqlProject(File.ReadAllText(Path.Combine(root, "schema.sql")),
            Read("transform/macros", "macros/").Concat(Read("transform/models", "models/")).Concat(Read("queries", "queries/")));
    }

    /// <summary>A copy with the file at <paramref name="path"/> replaced (or added).</summary>
    public SqlProject WithFile(string path, string sql) =>
        new(Schema, Files.Where(f => f.Path != path).Append(new SqlFile(path, sql)));

    /// <summary>Fails with a <see cref="TransformException"/> naming the file when a model name (or a table a kernel model
    /// also materializes) is not a plain identifier, is used twice, or a model reads a model that runs after it.</summary>
    public void Validate()
    {
        var position = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < Models.Count; i++)
        {
            var model = Models[i];
            if (!Identifier().IsMatch(model.Name))
                throw new TransformException($"model {model.Path}: the file name must be a plain SQL identifier ([a-z_][a-z0-9_]*)", model.Path);
            if (!position.TryAdd(model.Name, i))
                throw new TransformException($"model {model.Path}: {model.Name} is also defined by {Models[position[model.Name]].Path}", model.Path);
            ModelMaterialization.ValidateSyntax(model);
        }
        // a kernel's further tables are built with its model and read by their names
        for (int i = 0; i < Models.Count; i++)
        {
            foreach (string table in ModelMaterialization.AlsoMaterialized(Models[i]))
                if (!position.TryAdd(table, i))
                    throw new TransformException($"model {Models[i].Path}: {table} is also defined by {Models[position[table]].Path}", Models[i].Path);
        }
        for (int i = 0; i < Models.Count; i++)
        {
            var model = Models[i];
            if (ModelMaterialization.Of(model).PartitionSource is { } source && !(position.TryGetValue(source, out int j) && j < i))
                throw new TransformException(
                    $"model {model.Path} is partitioned by the values of {source}, which is not a model that runs before it", model.Path);
        }
        for (int i = 0; i < Models.Count; i++)
        {
            var model = Models[i];
            foreach (Match word in Word().Matches(SqlText.StripCommentsAndStrings(model.Sql)))
            {
                if (position.TryGetValue(word.Value, out int j) && j > i)
                    throw new TransformException(
                        $"model {model.Path} reads {word.Value}, which runs later ({Models[j].Path}); models run " +
                        "staging → intermediate → marts in file-name order within a layer: rename one of them", model.Path);
            }
        }
    }

    private static List<SqlFile> Sorted(IEnumerable<SqlFile> files) =>
        files.OrderBy(f => f.Name, StringComparer.Ordinal).ThenBy(f => f.Path, StringComparer.Ordinal).ToList();

    private static SqlProject LoadEmbedded()
    {
        var assembly = typeof(SqlProject).Assembly;
        string ReadResource(string name)
        {
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"embedded resource {name} missing from {assembly.GetName().Name}");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        var names = assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal) && n != "schema.sql");
        return new SqlProject(ReadResource("schema.sql"), names.Select(n => new SqlFile(n, ReadResource(n))));
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex("[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Word();
}
