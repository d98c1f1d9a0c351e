using System.Globalization;
using System.Net;

namespace Visage.Serve.CompreFace;

/// <summary>
/// The query parameters of CompreFace's routes, read as its clients really write them: the Python SDK starts with
/// <c>?&amp;</c> and writes <c>status=True</c>; the JavaScript SDK joins options with a second <c>?</c> when there is no
/// <c>limit</c> (<c>?subject=ann?det_prob_threshold=0.8</c>); Double Take sends <c>face_plugins=undefined</c>. So
/// parameters are split on both <c>&amp;</c> and <c>?</c>, names compared without case, booleans read in any case,
/// and unknown <c>face_plugins</c> ignored (as CompreFace does).
/// </summary>
public sealed class CompreFaceQuery
{
    /// <summary>The plugins Visage can answer: 5 landmarks, and the descriptor (<c>calculator</c>). The others (age, gender, mask, pose) have no model here and are ignored like unknown ones.</summary>
    public static readonly string[] KnownPlugins = ["landmarks", "calculator"];

    private readonly Dictionary<string, string> _values;

    private CompreFaceQuery(Dictionary<string, string> values) => _values = values;

    /// <summary>Reads the raw query string of a request.</summary>
    public static CompreFaceQuery From(HttpRequest request)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var raw = request.QueryString.Value ?? "";
        foreach (var part in raw.TrimStart('?').Split(['&', '?'], StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            var name = Decode(equals < 0 ? part : part[..equals]);
            if (name.Length > 0) values.TryAdd(name, equals < 0 ? "" : Decode(part[(equals + 1)..]));
        }
        return new CompreFaceQuery(values);
    }

    /// <summary>A raw value, or null.</summary>
    public string? this[string name] => _values.TryGetValue(name, out var v) ? v : null;

    /// <summary><c>limit</c>: most faces per image, biggest first; 0 (the default) for all.</summary>
    /// <exception cref="CompreFaceError">Not an integer at least 0 (code 26).</exception>
    public int Limit => Integer("limit", 0, 0, "Limit should be equal or greater than 0");

    /// <summary><c>prediction_count</c>: subjects per face (default 1).</summary>
    /// <exception cref="CompreFaceError">Not an integer at least 1 (code 26).</exception>
    public int PredictionCount => Integer("prediction_count", 1, 1, "prediction_count should be equal or greater than 1");

    /// <summary><c>det_prob_threshold</c> (CompreFace's detector's bar, checked but not applied: see <see cref="CompreFaceAnalysis.FacesAsync"/>), or null when not sent.</summary>
    /// <exception cref="CompreFaceError">Not a number from 0 to 1 (code 26).</exception>
    public float? DetectionThreshold
    {
        get
        {
            if (this["det_prob_threshold"] is not { Length: > 0 } text) return null;
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !(v is >= 0 and <= 1))
                throw CompreFaceError.Invalid("det_prob_threshold should be a number between 0 and 1");
            return v;
        }
    }

    /// <summary><c>status</c>: add execution times and plugin versions.</summary>
    public bool Status => bool.TryParse(this["status"], out var v) && v;

    /// <summary>The <c>face_plugins</c> asked for that Visage answers.</summary>
    public IReadOnlySet<string> Plugins => (this["face_plugins"] ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(p => p.ToLowerInvariant()).Where(KnownPlugins.Contains).ToHashSet();

    /// <summary>An integer parameter with a default and a least value.</summary>
    /// <exception cref="CompreFaceError">Not an integer at least <paramref name="min"/> (code 26).</exception>
    public int Integer(string name, int fallback, int min, string message)
    {
        if (this[name] is not { Length: > 0 } text) return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min ? v : throw CompreFaceError.Invalid(message);
    }

    // Form-style decoding, as CompreFace's servlet container does: '+' is a space.
    private static string Decode(string text) => WebUtility.UrlDecode(text);
}
