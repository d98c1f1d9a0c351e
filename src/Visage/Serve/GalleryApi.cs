using Microsoft.AspNetCore.Http.HttpResults;
using Visage.Gallery.Storage;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary><c>/api/v1/gallery</c>: the gallery as a whole (admin scope).</summary>
public static class GalleryApi
{
    public static void MapGallery(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/gallery").WithTags("Gallery").Secured(ApiKeyAuthentication.AdminPolicy);
        api.MapDelete("", Erase).WithName("EraseGallery")
            .WithSummary("Erase the whole gallery: every person, face, rejection and sighting (API keys and the audit log stay)");
    }

    public static Ok<GalleryRows> Erase(GalleryHost galleries) => TypedResults.Ok(galleries.Write(g => g.EraseAll()));
}
