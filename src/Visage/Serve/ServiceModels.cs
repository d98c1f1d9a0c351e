using Visage.Models;

namespace Visage.Serve;

/// <summary>The model sessions the service's pipelines share: the caller's repository, or one made (and later disposed) here.</summary>
public sealed class ServiceModels(ModelRepository? given) : IDisposable
{
    /// <summary>The shared repository.</summary>
    public ModelRepository Repository { get; } = given ?? new ModelRepository(new ModelStore(), log: Console.Error);

    /// <summary>Disposes the repository when it was made here.</summary>
    public void Dispose()
    {
        if (given is null) Repository.Dispose();
    }
}
