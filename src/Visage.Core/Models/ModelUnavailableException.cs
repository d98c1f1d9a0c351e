namespace Visage.Models;

/// <summary>The network weights could not be fetched, imported or verified.</summary>
public sealed class ModelUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
