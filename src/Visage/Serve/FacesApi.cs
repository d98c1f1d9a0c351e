using Microsoft.AspNetCore.Http.HttpResults;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary><c>/api/v1/faces</c>: single enrolled faces (admin scope).</summary>
public static class FacesApi
{
    public static void MapFaces(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/faces").WithTags("Gallery").Secured(ApiKeyAuthentication.AdminPolicy);
        api.MapGet("/{id:long}", Get).WithName("GetFace").WithSummary("An enrolled face").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:long}/thumbnail", Thumbnail).WithName("GetFaceThumbnail").WithSummary("A small JPEG of an enrolled face")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/{id:long}", Delete).WithName("DeleteFace").WithSummary("Delete one face and erase its vector")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static Results<Ok<EnrolledFaceDto>, ProblemHttpResult> Get(long id, GalleryHost galleries) =>
        galleries.Read(g => g.GetFace(id)) is { } f ? TypedResults.Ok(EnrolledFaceDto.From(f)) : Problems.NotFound($"No face with id {id}.");

    public static Results<FileContentHttpResult, ProblemHttpResult> Thumbnail(long id, GalleryHost galleries) =>
        galleries.Read(g => g.GetThumbnail(id)) is { } jpeg
            ? TypedResults.File(jpeg, "image/jpeg")
            : Problems.NotFound($"No face with id {id}, or it was enrolled without a thumbnail.");

    public static Results<NoContent, ProblemHttpResult> Delete(long id, GalleryHost galleries) =>
        galleries.Write(g => g.DeleteFace(id)) ? TypedResults.NoContent() : Problems.NotFound($"No face with id {id}.");
}
