namespace Vhw.Zoo.Data;

/// <summary>
/// qbench-like low-level perception. Slot i: type i % 3 (blur yes/no, noise yes/no, lighting A–C) and the answer from
/// i / 3 (balanced); the degradations not asked about are drawn uniformly, so they carry no hint.
/// </summary>
public static class QbenchLike
{
    public const string Name = "qbench-like";
    static readonly string[] Lights = ["dark", "normal", "bright"];

    public static QaItem Generate(ZooRng rng, ScenePrior prior, int slot)
    {
        int type = slot % 3, k = slot / 3;
        bool blur = rng.Chance(0.5), noise = rng.Chance(0.5);
        var light = (Lighting)rng.Next(3);
        string task, question, answer;
        switch (type)
        {
            case 0:
                blur = k % 2 == 0;
                (task, question, answer) = ("blur", QaFormat.Short("Is this image blurry?"), blur ? "Yes" : "No");
                break;
            case 1:
                noise = k % 2 == 0;
                (task, question, answer) = ("noise", QaFormat.Short("Is there noise in this image?"), noise ? "Yes" : "No");
                break;
            default:
                light = (Lighting)(k % 3);
                string correct = LightWord(light);
                var others = Lights.Where(l => l != correct).ToList();
                rng.Shuffle(others);
                int letter = k / 3 % 3;
                others.Insert(letter, correct);
                string text = "How is the lighting of this image?\n" + string.Join("\n", others.Select((o, i) => $"{QaFormat.Letters[i]}. {o}"));
                (task, question, answer) = ("lighting", Vhw.Modeling.Prompting.BenchmarkPrompts.WithSuffix(text, Vhw.Modeling.Prompting.BenchmarkPrompts.MultipleChoice), QaFormat.Letters[letter]);
                break;
        }
        var scene = prior.RandomScene(rng, new Degradation(blur, noise, light));
        return new QaItem(Name, task, scene, question, answer);
    }

    static string LightWord(Lighting l) => l switch { Lighting.Dark => "dark", Lighting.Bright => "bright", _ => "normal" };
}
