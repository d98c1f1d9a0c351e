using Visage.Faces;

namespace Visage.Training.Network;

/// <summary>
/// The shape of a projection head: 128 -> hidden widths (each linear, batch norm, ReLU) -> 128 linear, L2-normalized;
/// with <see cref="Residual"/> the 128-d input is added before normalizing and the last layer starts at zero, so
/// training starts from the plain (normalized) descriptor and only learns a correction.
/// </summary>
/// <param name="Hidden">Widths of the hidden layers (the example: 512, 256; about 230k parameters).</param>
/// <param name="Residual">Add the input to the output before normalizing.</param>
/// <param name="BatchNorm">Batch norm after each hidden linear layer.</param>
public sealed record HeadArchitecture(int[] Hidden, bool Residual, bool BatchNorm = true)
{
    /// <summary>Input and output width: the recognition net's descriptor.</summary>
    public const int Dimensions = FaceEmbedding.Dimensions;

    /// <summary>The default: 512 and 256 hidden, batch norm, residual.</summary>
    public static HeadArchitecture Default { get; } = new([512, 256], Residual: true);

    /// <summary>Parses <c>512,256</c> (an empty string: no hidden layer, one linear map).</summary>
    /// <exception cref="FormatException">Not a comma-separated list of positive widths.</exception>
    public static int[] ParseHidden(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var widths = text.Split(',', StringSplitOptions.TrimEntries).Select(w => int.TryParse(w, out var v) && v > 0 ? v : throw new FormatException($"'{w}' is not a positive layer width")).ToArray();
        return widths;
    }

    /// <summary>The widths written as <c>128-512-256-128</c>.</summary>
    public override string ToString() => string.Join('-', new[] { Dimensions }.Concat(Hidden).Append(Dimensions)) + (Residual ? " residual" : "") + (BatchNorm ? " bn" : "");
}
