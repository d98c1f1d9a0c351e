using Visage.Cli;
using Visage.Imaging;
using Visage.Tests;

namespace Visage.Cli.Tests;

/// <summary>
/// What issue 19 adds to the CLI, through the real executable: <c>recognize</c> shows the confidence and the candidates
/// and takes <c>--strictness</c>; <c>enroll</c> refuses a poor face unless <c>--force</c>; <c>persons check</c> finds a
/// photo filed under the wrong person.
/// </summary>
public sealed class OpenSetCliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-cli-openset-");

    private string Db => Path.Combine(_dir.FullName, "gallery.db");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Photo(string person, int n) => Path.Combine(TestData.Faces, person, $"{person}_{n:0000}.jpg");

    private void Enroll(string name, params string[] photos)
    {
        var result = VisageProcess.Run(["enroll", "--name", name, .. photos, "--db", Db]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Recognize_shows_the_confidence_and_the_candidates_and_takes_a_strictness()
    {
        Enroll("Vicente Fox", Photo("Vicente_Fox", 1), Photo("Vicente_Fox", 2));
        Enroll("Zinedine Zidane", Photo("Zinedine_Zidane", 1));

        var text = VisageProcess.Run("recognize", Photo("Vicente_Fox", 3), "--db", Db);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("open-set match at balanced (1% of strangers named)", text.Stdout);
        Assert.Matches(@"Vicente Fox\s+confidence (0\.9\d|1\.00)", text.Stdout);
        Assert.Matches(@"candidates: Vicente Fox 0\.\d{3} \((0\.9\d|1\.00)\), Zinedine Zidane \d\.\d{3} \(0\.\d\d\)", text.Stdout);

        var stranger = VisageProcess.Run("recognize", Photo("Eric_Clapton", 1), "--db", Db, "--candidates", "1");
        Assert.Contains("unknown: no enrolled face close enough", stranger.Stdout);

        var json = VisageProcess.Run("recognize", Photo("Vicente_Fox", 3), "--db", Db, "--json", "--strictness", "strict", "--candidates", "2").Json;
        Assert.Equal(0.001, json.GetProperty("targetFalseAcceptRate").GetDouble());
        var face = json.GetProperty("faces")[0];
        Assert.Equal("named", face.GetProperty("reason").GetString());
        Assert.Equal(2, face.GetProperty("candidates").GetArrayLength());
        Assert.InRange(face.GetProperty("confidence").GetDouble(), 0.9, 1);

        var bad = VisageProcess.Run("recognize", Photo("Vicente_Fox", 3), "--db", Db, "--strictness", "very");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("--strictness: 'very' is not a strictness", bad.Stderr);
    }

    [Fact]
    public void Enroll_refuses_a_poor_face_unless_forced_and_persons_check_finds_a_mislabel()
    {
        var small = Path.Combine(_dir.FullName, "small.jpg");
        ImageEncoder.Save(new ImageDecoder().DecodeFile(Photo("Edward_Lu", 2)).ShrinkBy(4), small);
        var refused = VisageProcess.Run("enroll", "--name", "Small", small, "--db", Db);
        Assert.Equal(ExitCodes.PoorFaceQuality, refused.ExitCode);
        Assert.Contains("pixels high, at least 48 are needed (enroll it anyway with --force)", refused.Stdout);
        Assert.True(VisageProcess.Run("enroll", "--name", "Small", small, "--db", Db, "--force").ExitCode == 0);

        Enroll("Edward Lu", Photo("Edward_Lu", 1), Photo("Edward_Lu", 3), Photo("Edward_Lu", 4));
        var clean = VisageProcess.Run("persons", "check", "--db", Db, "--json");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Empty(clean.Json.GetProperty("suspectFaces").EnumerateArray());

        Enroll("Edward Lu", Photo("Zinedine_Zidane", 2));
        var check = VisageProcess.Run("persons", "check", "--db", Db);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("2 person(s) checked", check.Stdout);
        Assert.Contains("1 face(s) probably of someone else", check.Stdout);
        Assert.Matches(@"Edward Lu: face \d+, \d\.\d\d from the mean of the person's other 3 faces", check.Stdout);
    }
}
