using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using Visage.Pipeline;

namespace Visage.Tests.Architecture;

/// <summary>
/// The folders of Visage.Core follow the data flow, each folder is one namespace, and a folder uses only folders before
/// it in <see cref="Order"/>: no stage reaches into a later one, so no two folders depend on each other. Read from the
/// compiled library: every type named in a signature, a field, a local or an instruction counts.
/// </summary>
public sealed partial class StageDependencyTests
{
    /// <summary>The namespaces in the order they may use each other (docs/ARCHITECTURE.md).</summary>
    public static readonly string[] Order =
    [
        "Visage", "Visage.Hardware", "Visage.Faces", "Visage.Imaging", "Visage.Models",
        "Visage.Detection", "Visage.Landmarks", "Visage.Alignment", "Visage.Embedding", "Visage.Pipeline",
        "Visage.Matching.OpenSet", "Visage.Matching", "Visage.Gallery.Storage", "Visage.Gallery.Search", "Visage.Gallery", "Visage.Recognition",
        "Visage.Enrollment", "Visage.Clustering", "Visage.Evaluation", "Visage.Evaluation.OpenSet", "Visage.Sightings", "Visage.Video.Sources", "Visage.Video.Tracking",
        "Visage.Video.Watching",
    ];

    private static readonly Assembly Core = typeof(FaceAnalyzer).Assembly;

    [Fact]
    public void Every_file_sits_in_the_folder_of_its_namespace()
    {
        var root = Path.Combine(TestData.RepoRoot, "src", "Visage.Core");
        var misplaced = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
        {
            var folder = Path.GetDirectoryName(Path.GetRelativePath(root, file))!.Replace(Path.DirectorySeparatorChar, '.');
            var expected = folder.Length == 0 ? "Visage" : "Visage." + folder;
            var declared = FileNamespace().Match(File.ReadAllText(file)).Groups[1].Value;
            if (declared != expected) misplaced.Add($"{Path.GetRelativePath(root, file)}: namespace {declared}, expected {expected}");
        }
        Assert.True(misplaced.Count == 0, string.Join('\n', misplaced));
    }

    [Fact]
    public void Every_namespace_has_a_place_in_the_order()
    {
        var namespaces = Core.GetTypes().Select(Namespace).Where(n => n is not null).Distinct().ToList();
        Assert.Empty(namespaces.Except(Order));
        Assert.Contains("Visage.Recognition", namespaces);
    }

    [Fact]
    public void No_namespace_uses_one_after_it_so_there_is_no_cycle()
    {
        var violations = new SortedSet<string>();
        foreach (var type in Core.GetTypes())
        {
            if (Namespace(type) is not { } from) continue;
            foreach (var used in Uses(type))
                if (used.Assembly == Core && Namespace(used) is { } to && Array.IndexOf(Order, to) > Array.IndexOf(Order, from))
                    violations.Add($"{from} uses {to}: {Name(type)} -> {Name(used)}");
        }
        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    /// <summary>A type's namespace; compiler-made types (lambdas, iterators, fixed buffers) count as their declaring type's.</summary>
    private static string? Namespace(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type.Namespace is { } ns && ns.StartsWith("Visage", StringComparison.Ordinal) ? ns : null;
    }

    private static string Name(Type t) => t.FullName ?? t.Name;

    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every type <paramref name="type"/> names: base, interfaces, members' signatures, locals, and the operands of its IL.</summary>
    private static IEnumerable<Type> Uses(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || !found.Add(t)) return;
            if (t.HasElementType) Add(t.GetElementType());
            if (t.IsGenericType) foreach (var a in t.GetGenericArguments()) Add(a);
        }
        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var f in type.GetFields(All)) Add(f.FieldType);
        foreach (var p in type.GetProperties(All)) Add(p.PropertyType);
        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo mi) Add(mi.ReturnType);
            foreach (var p in m.GetParameters()) Add(p.ParameterType);
            if (m.GetMethodBody() is not { } body) continue;
            foreach (var local in body.LocalVariables) Add(local.LocalType);
            foreach (var t in Operands(m, body.GetILAsByteArray() ?? [])) Add(t);
        }
        return found;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue =
        typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The types behind the type, method, field and token operands of a method's IL.</summary>
    private static IEnumerable<Type> Operands(MethodBase method, byte[] il)
    {
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            short value = il[i++];
            if (value == 0xFE) value = (short)(0xFE00 | il[i++]);
            var op = OpCodesByValue[value];
            var size = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            if (op.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs);
                if (member is Type t) yield return t;
                else if (member?.DeclaringType is { } owner) yield return owner;
                if (member is MethodInfo { IsGenericMethod: true } generic)
                    foreach (var a in generic.GetGenericArguments()) yield return a;
            }
            i += size;
        }
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();
}
