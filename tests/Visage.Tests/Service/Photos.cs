using Visage.Tests;

namespace Visage.Cli.Tests.Service;

/// <summary>The shared photos the service tests send.</summary>
public static class Photos
{
    public static string Face(string person, int n) => Path.Combine(TestData.Faces, person, $"{person}_{n:0000}.jpg");

    public static string Obama(int n) => Face("Barack_Obama", n);

    /// <summary>Photos 2 to 6 show one face each (photo 1 shows two).</summary>
    public static string Lu(int n) => Face("Edward_Lu", n);

    /// <summary>Photos 1, 2, 4, 5 and 6 show one face each; a stranger to <see cref="Lu"/> (distance about 0.8).</summary>
    public static string Stoiber(int n) => Face("Edmund_Stoiber", n);

    /// <summary>Photos 2 to 5 show one face each.</summary>
    public static string Biden(int n) => Face("Joseph_Biden", n);

    /// <summary>Photos 1 and 2 show one face each (distance 0.43); no service test enrolls him, so he stays a stranger to the shared gallery.</summary>
    public static string Zidane(int n) => Face("Zinedine_Zidane", n);

    public static string Landscape => Path.Combine(TestData.NonFaces, "landscape.jpg");

    public static string ThreeFaces => Path.Combine(TestData.Groups, "group_3_faces.jpg");
}
