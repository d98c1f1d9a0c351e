using Microsoft.Data.Sqlite;
using Npgsql;
using Visage.Gallery.Storage;
using Visage.Gallery;

namespace Visage.Reliability;

/// <summary>The database's own integrity checks, plus the gallery's: no face without a person, every descriptor whole.</summary>
public static class GalleryIntegrity
{
    /// <summary>What is wrong, or an empty list.</summary>
    public static List<string> Check(string location)
    {
        var problems = new List<string>();
        if (GalleryStores.IsPostgres(location))
        {
            using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(location) { Pooling = false }.ToString());
            c.Open();
            Run(c, "CREATE EXTENSION IF NOT EXISTS amcheck");
            // amcheck verifies every B-tree index of the gallery against its table (heapallindexed).
            var indexes = Rows(c, "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'");
            foreach (var index in indexes)
            {
                try { Run(c, $"SELECT bt_index_check('public.{index}'::regclass, true)"); }
                catch (PostgresException e) { problems.Add($"index {index}: {e.MessageText}"); }
            }
        }
        else
        {
            using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = location, Mode = SqliteOpenMode.ReadOnly }.ToString());
            c.Open();
            var result = Rows(c, "PRAGMA integrity_check");
            if (result is not ["ok"]) problems.Add("integrity_check: " + string.Join("; ", result));
            if (Rows(c, "PRAGMA foreign_key_check") is { Count: > 0 } fk) problems.Add($"foreign_key_check: {fk.Count} rows");
        }
        using var db = GalleryStores.IsPostgres(location)
            ? (System.Data.Common.DbConnection)new NpgsqlConnection(new NpgsqlConnectionStringBuilder(location) { Pooling = false }.ToString())
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = location, Mode = SqliteOpenMode.ReadOnly }.ToString());
        db.Open();
        if (Rows(db, "SELECT count(*) FROM faces f LEFT JOIN persons p ON p.id = f.person_id WHERE p.id IS NULL") is not ["0"])
            problems.Add("faces without a person");
        if (Rows(db, "SELECT count(*) FROM faces WHERE length(embedding) <> 512") is not ["0"])
            problems.Add("descriptors of the wrong length");
        return problems;
    }

    private static void Run(System.Data.Common.DbConnection c, string sql)
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> Rows(System.Data.Common.DbConnection c, string sql)
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return rows;
    }
}
