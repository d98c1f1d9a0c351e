using System.Security.Cryptography;
using System.Text;

namespace Visage.Serve.Keys;

/// <summary>What a key may do. <see cref="Admin"/> includes everything <see cref="Recognize"/> may.</summary>
public enum KeyScope
{
    /// <summary>Detect, embed, verify, recognize.</summary>
    Recognize,

    /// <summary>Also enroll, rename, delete, and manage keys.</summary>
    Admin,
}

/// <summary>A stored API key: never the key itself, only its SHA-256 and a short prefix to tell keys apart.</summary>
/// <param name="Id">Store-assigned id (used to revoke).</param>
/// <param name="Name">What the key is for.</param>
/// <param name="Scope">What it may do.</param>
/// <param name="Prefix">The first characters of the key, shown in listings.</param>
/// <param name="Sha256">SHA-256 of the whole key, 32 bytes.</param>
/// <param name="CreatedUtc">When it was made.</param>
/// <param name="CompreFace">
/// For a CompreFace key, the one service it is bound to (<see cref="CompreFaceService"/>): it is accepted on that
/// service's CompreFace routes only, never on Visage's own API. Null for a Visage key.
/// </param>
public sealed record ApiKey(long Id, string Name, KeyScope Scope, string Prefix, byte[] Sha256, DateTime CreatedUtc, string? CompreFace = null)
{
    /// <summary>When the key was revoked; null while it is valid.</summary>
    public DateTime? RevokedUtc { get; init; }

    /// <summary>The key as the audit log names who acted.</summary>
    public Gallery.Storage.AuditActor Actor => new(Id, Name);

    /// <summary>The scope claim the key authenticates with: its scope, or <c>compreface-SERVICE</c> for a CompreFace key (no Visage policy accepts it).</summary>
    public string Claim => CompreFace is { } service ? "compreface-" + service : Scope.Name();
}

/// <summary>The three CompreFace services a CompreFace key is bound to, as CompreFace names them in its URLs.</summary>
public static class CompreFaceService
{
    /// <summary>Recognize, and manage the face collection and subjects (<c>/api/v1/recognition/...</c>).</summary>
    public const string Recognition = "recognition";

    /// <summary>Detect faces (<c>/api/v1/detection/detect</c>).</summary>
    public const string Detection = "detection";

    /// <summary>Compare two images (<c>/api/v1/verification/verify</c>).</summary>
    public const string Verification = "verification";

    /// <summary>Every service.</summary>
    public static readonly string[] All = [Recognition, Detection, Verification];

    /// <summary>The service's name in lower case, or null when it is none of the three.</summary>
    public static string? Parse(string? text) => text?.Trim().ToLowerInvariant() is { } name && All.Contains(name) ? name : null;
}

/// <summary>Making and hashing keys.</summary>
public static class ApiKeySecret
{
    /// <summary>Every generated key starts with this, so a leaked key is easy to recognize (and to grep for).</summary>
    public const string Marker = "vsg_";

    /// <summary>Keys given by hand (VISAGE_ADMIN_KEY) must be at least this long.</summary>
    public const int MinLength = 16;

    /// <summary>A new key: the marker and 32 random bytes in base64url (256 bits, so a plain SHA-256 is a safe hash).</summary>
    public static string Generate() => Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// A new CompreFace key: a random (version 4) UUID, the form CompreFace clients and users expect (122 random bits:
    /// a plain SHA-256 is still a safe hash for it).
    /// </summary>
    public static string GenerateUuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        bytes[7] = (byte)(bytes[7] & 0x0F | 0x40); // version 4 (Guid's byte order keeps the version in byte 7)
        bytes[8] = (byte)(bytes[8] & 0x3F | 0x80); // RFC 4122 variant
        return new Guid(bytes).ToString();
    }

    /// <summary>SHA-256 of the key's UTF-8 bytes.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>
    /// The part of a key shown in listings: the marker and 6 of its 43 random characters, or only the first 2 of a
    /// hand-made key (which may be short of randomness: listings must not help guess it).
    /// </summary>
    public static string PrefixOf(string key) =>
        key.StartsWith(Marker, StringComparison.Ordinal) ? key[..Math.Min(key.Length, Marker.Length + 6)] : key[..Math.Min(key.Length, 2)] + "…";

    /// <summary>Parses "admin" or "recognize".</summary>
    public static KeyScope? ParseScope(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "admin" => KeyScope.Admin,
        "recognize" => KeyScope.Recognize,
        _ => null,
    };

    /// <summary>The scope's name as stored and shown.</summary>
    public static string Name(this KeyScope scope) => scope == KeyScope.Admin ? "admin" : "recognize";
}
