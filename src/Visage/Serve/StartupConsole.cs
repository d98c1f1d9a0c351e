using System.Text;

namespace Visage.Serve;

/// <summary>
/// The console as the service writes to it while starting: what is written before <see cref="Release"/> (the one-time
/// admin key, made by whichever start-up task reads the key table first) is held back and follows the line that says
/// where the service listens, so that line is always the first a user reads.
/// </summary>
public sealed class StartupConsole(TextWriter target) : TextWriter
{
    private readonly Lock _lock = new();
    private StringBuilder? _held = new();

    /// <inheritdoc />
    public override Encoding Encoding => target.Encoding;

    /// <inheritdoc />
    public override void Write(char value) => Write(value.ToString());

    /// <inheritdoc />
    public override void Write(string? value)
    {
        lock (_lock)
        {
            if (_held is not null) _held.Append(value);
            else target.Write(value);
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
        lock (_lock)
        {
            if (_held is null) target.Flush();
        }
    }

    /// <summary>
    /// Writes <paramref name="firstLine"/> (when given: not when the start failed), then everything held back, and from
    /// now on writes straight through.
    /// </summary>
    public void Release(string? firstLine)
    {
        lock (_lock)
        {
            if (firstLine is not null) target.WriteLine(firstLine);
            target.Write(_held?.ToString());
            _held = null;
            target.Flush();
        }
    }
}
