using Visage.Tests;

namespace Visage.Cli.Tests;

/// <summary><c>visage detect</c>'s detection options, on a real group photo.</summary>
public sealed class DetectCliTests
{
    private static readonly string Group8 = Path.Combine(TestData.Groups, "group_8_faces.jpg");

    private static int Faces(params string[] options)
    {
        var result = VisageProcess.Run(["detect", Group8, "--json", .. options]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Json.GetProperty("faces").GetArrayLength();
    }

    [Fact]
    public void The_tiny_detector_finds_the_small_faces_of_a_group_through_its_tiles_and_no_tiles_gives_them_up()
    {
        // group_8_faces.jpg (800x533): eight faces of about 40 px, 25 px at the tiny detector's 416 input.
        Assert.Equal(8, Faces("--detector", "tiny"));
        Assert.InRange(Faces("--detector", "tiny", "--no-tiles"), 0, 7);
    }
}
