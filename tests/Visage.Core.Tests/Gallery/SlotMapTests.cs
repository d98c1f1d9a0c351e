using Visage.Gallery.Search;
using Visage.Gallery;

namespace Visage.Tests.Gallery;

/// <summary>The open-addressing face-id map answers what a dictionary answers through adds, moves and removes.</summary>
public sealed class SlotMapTests
{
    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 5000)]
    public void Random_adds_and_swap_removes_agree_with_a_dictionary(int seed, int capacity)
    {
        // Rows as GalleryIndex keeps them: ids in slots, a removal moves the last row into the hole.
        var rng = new Random(seed);
        var ids = new List<long>();
        var map = new SlotMap(slot => ids[slot], capacity);
        var expected = new Dictionary<long, int>();
        for (var step = 0; step < 20_000; step++)
        {
            if (ids.Count == 0 || rng.Next(3) > 0)
            {
                // Clustered ids (as SQLite hands them out) and a few far apart, to collide in the table.
                var id = rng.Next(4) == 0 ? rng.NextInt64() : rng.Next(40_000);
                if (expected.ContainsKey(id)) continue;
                ids.Add(id);
                map.Add(id, ids.Count - 1);
                expected[id] = ids.Count - 1;
            }
            else
            {
                var slot = rng.Next(ids.Count);
                var id = ids[slot];
                var last = ids.Count - 1;
                map.Remove(id);
                expected.Remove(id);
                if (slot != last)
                {
                    map.Move(ids[last], slot);
                    expected[ids[last]] = slot;
                    ids[slot] = ids[last];
                }
                ids.RemoveAt(last);
            }
        }
        Assert.Equal(expected.Count, map.Count);
        foreach (var (id, slot) in expected)
        {
            Assert.True(map.TryGet(id, out var found));
            Assert.Equal(slot, found);
        }
        for (var i = 0; i < 1000; i++)
        {
            var absent = 1_000_000_000L + i;
            Assert.False(map.TryGet(absent, out _));
        }
    }
}
