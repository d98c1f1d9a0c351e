using System.Text.Json;

namespace Visage.Cli;

/// <summary>The JSON shapes the CLI prints with <c>--json</c> (camelCase), and the writer.</summary>
public static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // terminal output, not HTML
    };

    /// <summary>Writes one JSON document to stdout.</summary>
    public static void Print(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Options));
}
