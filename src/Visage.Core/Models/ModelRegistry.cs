namespace Visage.Models;

/// <summary>
/// The networks a pipeline can run, each under a name per stage (the detector <c>ssd</c>, the landmark net <c>tiny</c>,
/// the embedder <c>face_recognition_model</c>) with the stage object that runs it, and its variants. Adding a network is
/// one class and one <see cref="Add{TStage}"/>; the pipeline then picks it by name. Immutable: <see cref="Add{TStage}"/>
/// returns a new registry, so a shared one can be extended safely.
/// </summary>
public sealed class ModelRegistry
{
    private readonly IReadOnlyList<Entry> _entries;

    private sealed record Entry(Type Stage, string Name, ModelDescriptor Model, Func<ModelRepository, ModelDescriptor, object> Create);

    /// <summary>An empty registry.</summary>
    public ModelRegistry()
        : this([])
    {
    }

    private ModelRegistry(IReadOnlyList<Entry> entries) => _entries = entries;

    /// <summary>Every registered network, every variant, in registration order.</summary>
    public IReadOnlyList<ModelDescriptor> Models => [.. _entries.Select(e => e.Model).Distinct()];

    /// <summary>
    /// A registry that also runs <paramref name="model"/> as the <typeparamref name="TStage"/> called
    /// <paramref name="name"/>, with the object <paramref name="create"/> makes. Another variant of the same stage and
    /// name is added beside the first (one class runs both).
    /// </summary>
    /// <exception cref="ArgumentException">That stage, name and variant are taken.</exception>
    public ModelRegistry Add<TStage>(string name, ModelDescriptor model, Func<ModelRepository, ModelDescriptor, TStage> create) where TStage : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(create);
        if (Find(typeof(TStage), name, model.Variant) is not null)
            throw new ArgumentException($"{StageName(typeof(TStage))} '{name}' ({model.Variant.ToString().ToLowerInvariant()}) is already registered", nameof(name));
        return new ModelRegistry([.. _entries, new Entry(typeof(TStage), name, model, (m, d) => create(m, d))]);
    }

    /// <summary>The names registered for a stage, in registration order.</summary>
    public IReadOnlyList<string> Names<TStage>() where TStage : class =>
        [.. _entries.Where(e => e.Stage == typeof(TStage)).Select(e => e.Name).Distinct()];

    /// <summary>
    /// <paramref name="wanted"/> when the stage's name has that variant, else fp32: a precision asked of the whole
    /// pipeline applies to the networks that have it (the landmark nets are fp32 only).
    /// </summary>
    public ModelVariant VariantOrFp32<TStage>(string name, ModelVariant wanted) where TStage : class =>
        Find(typeof(TStage), name, wanted) is not null ? wanted : ModelVariant.Fp32;

    /// <summary>The network behind a stage's name.</summary>
    /// <exception cref="ArgumentException">No such name for this stage, or no such variant of it.</exception>
    public ModelDescriptor Model<TStage>(string name, ModelVariant variant = ModelVariant.Fp32) where TStage : class =>
        Get(typeof(TStage), name, variant).Model;

    /// <summary>Makes the object that runs the stage's network <paramref name="name"/> in <paramref name="variant"/>.</summary>
    /// <exception cref="ArgumentException">No such name for this stage, or no such variant of it.</exception>
    public TStage Create<TStage>(string name, ModelRepository models, ModelVariant variant = ModelVariant.Fp32) where TStage : class
    {
        var entry = Get(typeof(TStage), name, variant);
        return (TStage)entry.Create(models, entry.Model);
    }

    private Entry? Find(Type stage, string name, ModelVariant variant) =>
        _entries.FirstOrDefault(e => e.Stage == stage && e.Name == name && e.Model.Variant == variant);

    private Entry Get(Type stage, string name, ModelVariant variant)
    {
        if (Find(stage, name, variant) is { } entry) return entry;
        var names = _entries.Where(e => e.Stage == stage).Select(e => e.Name).Distinct().ToList();
        throw new ArgumentException(names.Contains(name)
            ? $"the {StageName(stage)} '{name}' has no {variant.ToString().ToLowerInvariant()} variant"
            : $"no {StageName(stage)} named '{name}' (known: {string.Join(", ", names)})", nameof(name));
    }

    private static string StageName(Type stage)
    {
        var name = stage.IsInterface && stage.Name.Length > 1 && stage.Name[0] == 'I' && char.IsUpper(stage.Name[1]) ? stage.Name[1..] : stage.Name;
        return name.StartsWith("Face", StringComparison.Ordinal) ? name[4..].ToLowerInvariant() : name.ToLowerInvariant();
    }
}
