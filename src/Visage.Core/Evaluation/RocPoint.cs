namespace Visage.Evaluation;

/// <summary>One operating point: accepting pairs whose distance is strictly below <see cref="Threshold"/>.</summary>
/// <param name="Threshold">The distance threshold.</param>
/// <param name="FalseAcceptRate">Share of different-person pairs accepted.</param>
/// <param name="TrueAcceptRate">Share of same-person pairs accepted.</param>
public readonly record struct RocPoint(float Threshold, double FalseAcceptRate, double TrueAcceptRate);
