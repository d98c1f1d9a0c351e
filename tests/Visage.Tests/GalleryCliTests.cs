using Visage.Tests;

namespace Visage.Cli.Tests;

/// <summary>enroll, recognize, verify and persons through the real executable, on real photos and a real SQLite file.</summary>
public sealed class GalleryCliTests : IDisposable
{
    private static readonly string[] Enrolled = ["Vicente_Fox", "Zinedine_Zidane", "Edmund_Stoiber"];
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-cli-gallery-");

    private string Db => Path.Combine(_dir.FullName, "gallery.db");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Photo(string person, int n) => Path.Combine(TestData.Faces, person, $"{person}_{n:0000}.jpg");

    /// <summary>A folder per person holding copies of their photos 1 and 2.</summary>
    private string PeopleFolder()
    {
        var root = Directory.CreateDirectory(Path.Combine(_dir.FullName, "people"));
        foreach (var person in Enrolled)
        {
            var folder = Directory.CreateDirectory(Path.Combine(root.FullName, person));
            foreach (var n in new[] { 1, 2 }) File.Copy(Photo(person, n), Path.Combine(folder.FullName, Path.GetFileName(Photo(person, n))));
        }
        return root.FullName;
    }

    private VisageProcess.Result Recognize(string photo) => VisageProcess.Run("recognize", photo, "--db", Db, "--json");

    [Fact]
    public void A_gallery_exported_from_sqlite_and_imported_into_postgres_recognizes_the_same_and_can_be_erased()
    {
        Assert.Equal(0, VisageProcess.Run("enroll", PeopleFolder(), "--db", Db).ExitCode);
        var backup = Path.Combine(_dir.FullName, "backup.db");
        var export = VisageProcess.Run("gallery", "export", backup, "--db", Db, "--json");
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal((3, 6), (export.Json.GetProperty("persons").GetInt32(), export.Json.GetProperty("faces").GetInt32()));
        Assert.NotEqual(0, VisageProcess.Run("gallery", "export", backup, "--db", Db).ExitCode); // never overwritten

        using var postgres = new PostgresTestDatabase();
        var import = VisageProcess.Run("gallery", "import", backup, "--db", postgres.ConnectionString, "--json");
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal(6, import.Json.GetProperty("faces").GetInt32());
        foreach (var person in Enrolled)
            Assert.Equal(person, VisageProcess.Run("recognize", Photo(person, 3), "--db", postgres.ConnectionString, "--json").Json.GetProperty("faces")[0].GetProperty("name").GetString());
        var again = VisageProcess.Run("gallery", "import", backup, "--db", postgres.ConnectionString);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("is not empty", again.Stderr);

        var erase = VisageProcess.Run("gallery", "erase", "--yes", "--db", postgres.ConnectionString, "--json");
        Assert.True(erase.ExitCode == 0, erase.ToString());
        Assert.Equal(3, erase.Json.GetProperty("persons").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null,
            VisageProcess.Run("recognize", Photo(Enrolled[0], 3), "--db", postgres.ConnectionString, "--json").Json.GetProperty("faces")[0].GetProperty("name").ValueKind);
        Assert.Equal(0L, Convert.ToInt64(Visage.Reliability.PostgresCluster.Execute(postgres.ConnectionString, "SELECT count(*) FROM erasure_pending"),
            System.Globalization.CultureInfo.InvariantCulture)); // the tables were rewritten before the command returned
    }

    [Fact]
    public void Enrolled_people_are_recognized_in_a_new_process_and_strangers_are_unknown()
    {
        var enroll = VisageProcess.Run("enroll", PeopleFolder(), "--db", Db, "--json");
        Assert.True(enroll.ExitCode == 0, enroll.ToString());
        Assert.Equal(6, enroll.Json.GetProperty("enrolled").GetInt32());

        foreach (var person in Enrolled)
        {
            var result = Recognize(Photo(person, 3));
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(person, result.Json.GetProperty("faces")[0].GetProperty("name").GetString());
        }
        var stranger = Recognize(Photo("Eric_Clapton", 1));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stranger.Json.GetProperty("faces")[0].GetProperty("name").ValueKind);

        // Enrolling again adds nothing.
        var again = VisageProcess.Run("enroll", Path.Combine(_dir.FullName, "people"), "--db", Db, "--json");
        Assert.Equal((0, 6), (again.Json.GetProperty("enrolled").GetInt32(), again.Json.GetProperty("alreadyEnrolled").GetInt32()));
    }

    [Fact]
    public void Deleting_a_person_removes_their_vectors_from_the_file()
    {
        VisageProcess.Run("enroll", PeopleFolder(), "--db", Db);
        var embedded = VisageProcess.Run("embed", Photo("Vicente_Fox", 1), "--json");
        var vector = embedded.Json.GetProperty("faces")[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var needle = System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan(0, 8)).ToArray();
        Assert.True(OnDisk(needle), "the enrolled vector should be in the database before deletion");

        var delete = VisageProcess.Run("persons", "delete", "Vicente_Fox", "--db", Db);

        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.False(OnDisk(needle), "the deleted vector is still in the database files");
        Assert.NotEqual("Vicente_Fox", Recognize(Photo("Vicente_Fox", 3)).Json.GetProperty("faces")[0].GetProperty("name").GetString());
        Assert.Equal(ExitCodes.PersonNotFound, VisageProcess.Run("persons", "delete", "Vicente_Fox", "--db", Db).ExitCode);
    }

    [Fact]
    public void Renaming_onto_a_taken_name_is_refused()
    {
        VisageProcess.Run("enroll", PeopleFolder(), "--db", Db);
        var result = VisageProcess.Run("persons", "rename", "Vicente_Fox", "Zinedine_Zidane", "--db", Db);
        Assert.Equal(ExitCodes.DuplicatePerson, result.ExitCode);
        var list = VisageProcess.Run("persons", "list", "--db", Db, "--json");
        Assert.Equal(3, list.Json.GetProperty("persons").GetArrayLength());
    }

    [Fact]
    public void A_corrupt_database_file_is_reported_and_left_untouched()
    {
        var bytes = new byte[8192];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(Db, bytes);

        var result = Recognize(Photo("Vicente_Fox", 1));

        Assert.Equal(ExitCodes.DatabaseCorrupt, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Equal(bytes, File.ReadAllBytes(Db));
    }

    [Fact]
    public void Verify_needs_one_face_per_photo_unless_told_to_take_the_largest()
    {
        var same = VisageProcess.Run("verify", Photo("Vicente_Fox", 1), Photo("Vicente_Fox", 3), "--json");
        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.True(same.Json.GetProperty("same").GetBoolean());
        Assert.True(same.Json.GetProperty("threshold").GetSingle() > 0);

        var different = VisageProcess.Run("verify", Photo("Vicente_Fox", 1), Photo("Zinedine_Zidane", 1), "--json");
        Assert.False(different.Json.GetProperty("same").GetBoolean());

        var noFace = VisageProcess.Run("verify", Path.Combine(TestData.NonFaces, "landscape.jpg"), Photo("Vicente_Fox", 1));
        Assert.Equal(ExitCodes.NoFace, noFace.ExitCode);

        var group = Path.Combine(TestData.Groups, "group_5_faces.jpg");
        Assert.Equal(ExitCodes.SeveralFaces, VisageProcess.Run("verify", group, Photo("Vicente_Fox", 1)).ExitCode);
        Assert.Equal(0, VisageProcess.Run("verify", group, Photo("Vicente_Fox", 1), "--largest").ExitCode);
    }

    [Fact]
    public void Recognize_annotates_a_copy_of_the_photo()
    {
        VisageProcess.Run("enroll", PeopleFolder(), "--db", Db);
        var output = Path.Combine(_dir.FullName, "annotated.jpg");
        var result = VisageProcess.Run("recognize", Photo("Zinedine_Zidane", 3), "--db", Db, "--annotate", output);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Zinedine_Zidane", result.Stdout);
        var image = new Visage.Imaging.ImageDecoder().DecodeFile(output);
        Assert.Equal(250, image.Width);
    }

    private bool OnDisk(byte[] needle) =>
        new[] { Db, Db + "-wal" }.Where(File.Exists).Any(f => File.ReadAllBytes(f).AsSpan().IndexOf(needle) >= 0);
}
