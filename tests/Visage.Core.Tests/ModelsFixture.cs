using Visage.Models;

namespace Visage.Tests;

/// <summary>One model repository (and so one session per net) for every test in the run; models come from the shared cache.</summary>
public sealed class ModelsFixture : IDisposable
{
    public ModelsFixture()
    {
        Store = new ModelStore();
        Store.EnsureAvailable(Console.Out);
        // The cache tests copy the package tarball instead of fetching it again.
        if (!File.Exists(Path.Combine(Store.PackagesDirectory, ModelCatalog.TarballName))) Store.Fetch(Console.Out);
        Repository = new ModelRepository(Store);
    }

    public ModelStore Store { get; }
    public ModelRepository Repository { get; }

    public void Dispose() => Repository.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ModelsCollection : ICollectionFixture<ModelsFixture>
{
    public const string Name = "models";
}
