using System.Globalization;
using System.Text.RegularExpressions;

namespace Visage.Reliability;

/// <summary>
/// Reads a Prometheus text scrape (what <c>/metrics</c> answers): one sample per line, <c>name{label="value",...} number</c>.
/// OpenTelemetry's exporter adds labels of its own (<c>otel_scope_name</c>), so samples are matched on the labels asked for.
/// </summary>
public static partial class PrometheusText
{
    /// <summary>Every sample: metric name, labels and value.</summary>
    public static IEnumerable<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> Samples(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var match = SampleLine().Match(line);
            if (!match.Success) continue;
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(p => p.Groups[1].Value, p => p.Groups[2].Value);
            yield return (match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value));
        }
    }

    /// <summary>The sum of a metric's samples whose labels include every pair given; null when there is none.</summary>
    public static double? Sum(string text, string name, params (string Label, string Value)[] labels)
    {
        var found = Samples(text).Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).ToList();
        return found.Count == 0 ? null : found.Sum(s => s.Value);
    }

    /// <summary>Prometheus numbers: decimals, exponents in either case, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)""")]
    private static partial Regex LabelPair();
}
