using System.Globalization;
using System.Text;

namespace Visage.Serve;

/// <summary>Lines of the Prometheus text format (version 0.0.4).</summary>
public static class PrometheusText
{
    /// <summary>The HELP and TYPE lines of a metric.</summary>
    public static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    /// <summary>One sample; <paramref name="labels"/> is <c>a="x",b="y"</c> or empty.</summary>
    public static void Line(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append(labels.Length > 0 ? "{" + labels + "}" : "").Append(' ')
            .Append(value.ToString("0.##########", CultureInfo.InvariantCulture)).Append('\n'); // plain decimals: 5E-06 is no sample a strict scraper reads

    /// <summary>A label value with <c>\</c>, <c>"</c> and new lines escaped.</summary>
    public static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
