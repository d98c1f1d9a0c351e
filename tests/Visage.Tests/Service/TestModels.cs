using Visage.Models;

namespace Visage.Cli.Tests.Service;

/// <summary>One model repository (one session per net) for every in-process service of the test run.</summary>
public static class TestModels
{
    private static readonly Lazy<ModelRepository> Shared = new(() =>
    {
        var store = new ModelStore();
        store.EnsureAvailable(Console.Out);
        return new ModelRepository(store);
    });

    public static ModelRepository Repository => Shared.Value;
}
