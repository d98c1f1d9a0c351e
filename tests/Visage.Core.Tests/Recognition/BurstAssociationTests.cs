using Visage.Faces;
using Visage.Recognition;

namespace Visage.Tests.Recognition;

public sealed class BurstAssociationTests
{
    private static Face Box(double x, double y = 0, double side = 100) => new(new BoundingBox(x, y, side, side), 1);

    [Fact]
    public void Each_face_of_the_last_frame_is_followed_back_by_its_best_overlap_one_face_per_chain_and_frame()
    {
        var a0 = Box(0); var b0 = Box(200);
        var a1 = Box(20); var b1 = Box(215);
        var a2 = Box(40); var b2 = Box(230); var c2 = Box(500);
        var chains = BurstAssociation.Chains([[b0, a0], [a1, b1], [a2, b2, c2]]);

        Assert.Equal(3, chains.Count);
        Assert.Equal([a0, a1, a2], chains[0]);
        Assert.Equal([b0, b1, b2], chains[1]);
        Assert.Equal([c2], chains[2]); // only in the last frame
    }

    [Fact]
    public void A_chain_stops_at_a_frame_where_its_face_moved_too_far_and_two_chains_never_share_a_face()
    {
        var far = Box(0);
        var near = Box(150);
        var last1 = Box(170);
        var last2 = Box(180);
        var chains = BurstAssociation.Chains([[far], [near], [last1, last2]]);

        // last1 and last2 both overlap 'near' (0.67 and 0.54): the better overlap takes it; 'far' overlaps nothing that followed.
        Assert.Equal([near, last1], chains[0]);
        Assert.Equal([last2], chains[1]);
        Assert.True(Box(0).Box.IoU(Box(60).Box) < BurstAssociation.MinimumOverlap);
        Assert.Single(BurstAssociation.Chains([[Box(0)], [Box(60)]])[0]);
    }

    [Fact]
    public void The_most_faces_followed_are_the_first_of_the_last_frame_and_a_burst_needs_a_frame()
    {
        Assert.Single(BurstAssociation.Chains([[Box(0), Box(300)]], maxFaces: 1));
        Assert.Throws<ArgumentException>(() => BurstAssociation.Chains([]));
    }
}
