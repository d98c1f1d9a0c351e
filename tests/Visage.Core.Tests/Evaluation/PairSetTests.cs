using Visage.Evaluation;

namespace Visage.Tests.Evaluation;

public sealed class PairSetTests
{
    private static readonly FaceDataset Faces = FaceDataset.Load(TestData.Faces);

    [Fact]
    public void The_dataset_reads_folders_as_persons_in_sorted_order()
    {
        Assert.Equal(47, Faces.Persons.Count);
        Assert.Equal(218, Faces.Photos.Count);
        Assert.Equal("Alex_Lacamoire/Alex_Lacamoire_0002.jpg", Faces.Photo("Alex_Lacamoire", 2).Name);
        Assert.Throws<KeyNotFoundException>(() => Faces.Photo("Alex_Lacamoire", 9));
        Assert.Throws<KeyNotFoundException>(() => Faces.Photo("Nobody", 1));
    }

    [Fact]
    public void Lfw_pairs_file_is_parsed_and_dealt_into_balanced_folds()
    {
        var set = PairSet.Parse(Path.Combine(TestData.Faces, "pairs.txt"), Faces);
        Assert.Equal(880, set.Pairs.Count);
        Assert.Equal(10, set.FoldCount);
        Assert.Equal(440, set.Pairs.Count(p => p.Same));
        Assert.All(set.Pairs.Where(p => p.Same), p => Assert.Equal(Faces.Photos[p.A].Person, Faces.Photos[p.B].Person));
        Assert.All(set.Pairs.Where(p => !p.Same), p => Assert.NotEqual(Faces.Photos[p.A].Person, Faces.Photos[p.B].Person));
        for (var f = 0; f < 10; f++) Assert.Equal(44, set.Pairs.Count(p => p.Same && p.Fold == f));
        Assert.Equal(set.Pairs, PairSet.Parse(Path.Combine(TestData.Faces, "pairs.txt"), Faces).Pairs);
    }

    [Fact]
    public void A_malformed_pairs_file_names_the_line()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "1\t1\nAlex_Lacamoire\t1\tx\nAmanda_Bynes\t1\tAngelo_Reyes\t1\n");
            var e = Assert.Throws<FormatException>(() => PairSet.Parse(path, Faces));
            Assert.Contains(":2:", e.Message);
            File.WriteAllText(path, "1\t1\nAlex_Lacamoire\t1\t2\n");
            Assert.Throws<FormatException>(() => PairSet.Parse(path, Faces));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Generated_pairs_are_balanced_deterministic_and_distinct()
    {
        var a = PairSet.Generate(Faces, seed: 5);
        var b = PairSet.Generate(Faces, seed: 5);
        Assert.Equal(a.Pairs, b.Pairs);
        Assert.NotEqual(a.Pairs, PairSet.Generate(Faces, seed: 6).Pairs);
        Assert.Equal(440, a.Pairs.Count(p => p.Same));   // every same-person pair of the set
        Assert.Equal(440, a.Pairs.Count(p => !p.Same));
        Assert.Equal(a.Pairs.Count, a.Pairs.Select(p => (Math.Min(p.A, p.B), Math.Max(p.A, p.B))).Distinct().Count());
        Assert.StartsWith("generated", a.Source);
    }
}
