using Microsoft.AspNetCore.Http.HttpResults;
using Visage.Enrollment;
using Visage.Gallery.Storage;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary><c>/api/v1/persons</c>: the people in the gallery and their faces (admin scope).</summary>
public static class PersonsApi
{
    /// <summary>Largest page of <c>GET /persons</c>.</summary>
    public const int MaxPageSize = 500;

    public static void MapPersons(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/persons").WithTags("Gallery").Secured(ApiKeyAuthentication.AdminPolicy);
        api.MapPost("", Create).WithName("CreatePerson").WithSummary("Create a person (names are unique)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("", List).WithName("ListPersons").WithSummary("One page of persons in creation order, with face counts")
            .ProducesValidationProblem();
        api.MapGet("/{id:long}", Get).WithName("GetPerson")
            .WithSummary("A person, with the enrolled faces that lie far from their other faces (probable mislabels)").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPatch("/{id:long}", Rename).WithName("RenamePerson").WithSummary("Rename a person")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/{id:long}", Delete).WithName("DeletePerson").WithSummary("Delete a person and erase all of their faces and vectors")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:long}/faces", Enroll).WithName("EnrollFace").TakesImages()
            .WithSummary("Enroll the one face of an image (422 when it shows none or several, or a face below the quality bar unless force=true); committed before the answer")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/{id:long}/faces", Faces).WithName("ListFaces").WithSummary("A person's enrolled faces")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static Results<Created<PersonDto>, ValidationProblem> Create(PersonRequest body, GalleryHost galleries)
    {
        if (string.IsNullOrWhiteSpace(body.Name)) return Problems.Invalid("name", "name must not be empty");
        var person = galleries.Write(g => g.CreatePerson(body.Name.Trim()));
        return TypedResults.Created($"/api/v1/persons/{person.Id}", PersonDto.From(person));
    }

    public static Results<Ok<PersonsPage>, ValidationProblem> List(GalleryHost galleries, int offset = 0, int limit = 100)
    {
        if (offset < 0) return Problems.Invalid("offset", "offset must not be negative");
        if (limit is < 1 or > MaxPageSize) return Problems.Invalid("limit", $"limit must be between 1 and {MaxPageSize}");
        var (items, total) = galleries.Read(g => (g.ListPersons(offset, limit), g.Count().Persons));
        return TypedResults.Ok(new PersonsPage(items.Select(PersonDto.From).ToList(), offset, limit, total));
    }

    public static Results<Ok<PersonDetailDto>, ProblemHttpResult> Get(long id, GalleryHost galleries)
    {
        var (person, faces) = galleries.Read(g => (g.GetPerson(id), g.ListFaces(id).Where(f => f.Embedding.ModelId == g.ModelId).ToList()));
        return person is null ? Problems.NotFound($"No person with id {id}.")
            : TypedResults.Ok(PersonDetailDto.From(person, [.. MislabelCheck.Check(faces).Select(SuspectFaceDto.From)]));
    }

    public static Results<Ok<PersonDto>, ValidationProblem> Rename(long id, PersonRequest body, GalleryHost galleries)
    {
        if (string.IsNullOrWhiteSpace(body.Name)) return Problems.Invalid("name", "name must not be empty");
        return TypedResults.Ok(PersonDto.From(galleries.Write(g => g.RenamePerson(id, body.Name.Trim()))));
    }

    public static Results<NoContent, ProblemHttpResult> Delete(long id, GalleryHost galleries) =>
        galleries.Write(g => g.DeletePerson(id)) ? TypedResults.NoContent() : Problems.NotFound($"No person with id {id}.");

    public static async Task<Results<Created<EnrolledFaceDto>, Ok<EnrolledFaceDto>, ProblemHttpResult, ValidationProblem>> Enroll(
        long id, ImageRequest body, FaceEnrollment enrollments, HttpContext http)
    {
        var force = false;
        if (body.Fields.TryGetValue("force", out var f) && !bool.TryParse(f, out force)) return Problems.Invalid("force", "force must be true or false");
        var upload = body.Single();
        EnrolledFace enrollment;
        try
        {
            enrollment = await enrollments.EnrollAsync(http, id, upload, force);
        }
        catch (PersonNotFoundException)
        {
            return Problems.NotFound($"No person with id {id}.");
        }
        var dto = EnrolledFaceDto.From(enrollment.Face);
        return enrollment.Created ? TypedResults.Created($"/api/v1/faces/{dto.Id}", dto) : TypedResults.Ok(dto);
    }

    public static Results<Ok<List<EnrolledFaceDto>>, ProblemHttpResult> Faces(long id, GalleryHost galleries)
    {
        var (person, faces) = galleries.Read(g => (g.GetPerson(id), g.ListFaces(id)));
        return person is null ? Problems.NotFound($"No person with id {id}.") : TypedResults.Ok(faces.Select(EnrolledFaceDto.From).ToList());
    }
}
