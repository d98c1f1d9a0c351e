using System.Text.Json;
using Visage.Enrollment;
using Visage.Gallery;
using Visage.Gallery.Storage;
using Visage.Recognition;
using Visage.Serve.Keys;

namespace Visage.Serve.CompreFace;

/// <summary>
/// CompreFace's recognition, detection and verification services (its REST API as its clients use it: Double Take,
/// Viseron, the Home Assistant integration, the official SDKs), as thin mappings onto Visage's verbs: a subject is a
/// Visage person (the same gallery as <c>/api/v1/persons</c>), a face's <c>image_id</c> is its Visage face id as a
/// UUID, similarities are Visage's distances on CompreFace's scale (<see cref="CompreFaceNumbers.Similarity"/>).
/// Routes live beside Visage's own (<c>/api/v1/recognition</c> is not <c>/api/v1/recognize</c>).
/// </summary>
public static class CompreFaceApi
{
    /// <summary>Subject names: 1 to 50 characters, none of <c>; / \</c> (CompreFace's <c>SubjectDto</c>).</summary>
    public const int MaxSubjectLength = 50;

    public static void MapCompreFace(this IEndpointRouteBuilder app)
    {
        var recognition = Group(app, "/api/v1/recognition");
        Route(recognition.MapPost("/recognize", Recognize), CompreFaceService.Recognition, CompreFaceAccess.Analyze, "CompreFaceRecognize",
            "Every face with its most similar subjects (prediction_count), similarity 0.5 at Visage's decision threshold");
        Route(recognition.MapPost("/faces", AddFace), CompreFaceService.Recognition, CompreFaceAccess.Collection, "CompreFaceAddFace",
            "Add the one face of an image to a subject (created when missing); 400 code 28 for no face, 31 for several");
        Route(recognition.MapGet("/faces", ListFaces), CompreFaceService.Recognition, CompreFaceAccess.Collection, "CompreFaceListFaces",
            "One page of stored faces (all, or one subject's)");
        Route(recognition.MapDelete("/faces", DeleteFaces), CompreFaceService.Recognition, CompreFaceAccess.Collection, "CompreFaceDeleteFaces",
            "Delete every face of a subject (the subject stays), or every face of every subject without ?subject");
        Route(recognition.MapPost("/faces/delete", DeleteFaceList), CompreFaceService.Recognition, CompreFaceAccess.Collection, "CompreFaceDeleteFaceList",
            "Delete the faces of a JSON list of image ids (unknown ids are skipped)");
        Route(recognition.MapDelete("/faces/{image_id}", DeleteFace), CompreFaceService.Recognition, CompreFaceAccess.Collection, "CompreFaceDeleteFace",
            "Delete one face");
        Route(recognition.MapGet("/faces/{image_id}/img", FaceImage), CompreFaceService.Recognition, CompreFaceAccess.Collection, "CompreFaceFaceImage",
            "A stored face's picture (Visage keeps a 96 px thumbnail of the face, not the original photo)");
        Route(recognition.MapPost("/faces/{image_id}/verify", VerifyFace), CompreFaceService.Recognition, CompreFaceAccess.Analyze, "CompreFaceVerifyFace",
            "Every face of an image compared with one stored face");
        Route(recognition.MapGet("/subjects", ListSubjects), CompreFaceService.Recognition, CompreFaceAccess.Collection, "CompreFaceListSubjects", "Every subject's name");
        Route(recognition.MapPost("/subjects", AddSubject), CompreFaceService.Recognition, CompreFaceAccess.Collection, "CompreFaceAddSubject", "Create a subject");
        Route(recognition.MapPut("/subjects/{subject}", RenameSubject), CompreFaceService.Recognition, CompreFaceAccess.Collection, "CompreFaceRenameSubject",
            "Rename a subject; onto an existing name, the two are merged");
        Route(recognition.MapDelete("/subjects/{subject}", DeleteSubject), CompreFaceService.Recognition, CompreFaceAccess.Collection, "CompreFaceDeleteSubject",
            "Delete a subject and all its faces");
        Route(recognition.MapDelete("/subjects", DeleteSubjects), CompreFaceService.Recognition, CompreFaceAccess.Collection, "CompreFaceDeleteSubjects",
            "Delete every subject and all their faces");

        Route(Group(app, "/api/v1/detection").MapPost("/detect", Detect), CompreFaceService.Detection, CompreFaceAccess.Analyze, "CompreFaceDetect",
            "Every face's box (and with face_plugins, landmarks and descriptor)");
        Route(Group(app, "/api/v1/verification").MapPost("/verify", Verify), CompreFaceService.Verification, CompreFaceAccess.Analyze, "CompreFaceVerify",
            "The face of source_image compared with every face of target_image");
    }

    private static RouteGroupBuilder Group(IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).WithTags("CompreFace compatible").RequireRateLimiting(RateLimits.PerKey);

    private static void Route(RouteHandlerBuilder route, string service, CompreFaceAccess access, string name, string summary) =>
        route.AddEndpointFilter(new CompreFaceFilter(service, access)).WithName(name).WithSummary(summary)
            .Produces<CompreFaceErrorBody>(StatusCodes.Status400BadRequest).Produces<CompreFaceErrorBody>(StatusCodes.Status404NotFound);

    public static async Task<IResult> Recognize(HttpContext http, FacePipeline pipeline, GalleryHost galleries, ServiceOptions service)
    {
        var query = CompreFaceQuery.From(http.Request);
        var options = service.Matching with
        {
            OpenSet = service.Matching.OpenSet with { Candidates = Math.Min(query.PredictionCount, AnalysisApi.MaxCandidates) },
        };
        var upload = CompreFaceImages.Get(await ImageRequest.ReadAsync(http), "file");
        var (image, faces) = await CompreFaceAnalysis.FacesAsync(http, pipeline, upload, query, embed: true);
        var recognized = Recognizer.Recognize(faces, galleries.Matching, options);
        var result = recognized.Faces.Select(r => CompreFaceAnalysis.Face(r.Face, image, query) with
        {
            // The decision's candidates, vetoed persons left out, on the scale whose 0.5 is the bar the decision set; a
            // stranger's subjects are there too, under 0.5 (CompreFace has no "unknown"). Most similar first.
            Subjects = [.. r.Match.Candidates
                .Select(c => new CompreFaceSubject(c.Name, CompreFaceNumbers.Similarity(c.Distance, r.Match.Threshold)))
                .OrderByDescending(s => s.Similarity)],
        }).ToList();
        return Results.Ok(new CompreFaceResult<CompreFaceFace>(result, CompreFaceAnalysis.Versions(query, pipeline)));
    }

    public static async Task<IResult> Detect(HttpContext http, FacePipeline pipeline)
    {
        var query = CompreFaceQuery.From(http.Request);
        var upload = CompreFaceImages.Get(await ImageRequest.ReadAsync(http), "file");
        var (image, faces) = await CompreFaceAnalysis.FacesAsync(http, pipeline, upload, query, embed: query.Plugins.Contains("calculator"));
        return Results.Ok(new CompreFaceResult<CompreFaceFace>([.. faces.Faces.Select(f => CompreFaceAnalysis.Face(f, image, query))],
            CompreFaceAnalysis.Versions(query, pipeline)));
    }

    public static async Task<IResult> Verify(HttpContext http, FacePipeline pipeline)
    {
        var query = CompreFaceQuery.From(http.Request);
        var request = await ImageRequest.ReadAsync(http);
        var (source, target) = (CompreFaceImages.Get(request, "source_image"), CompreFaceImages.Get(request, "target_image"));
        var (sourceImage, sourceFace) = await pipeline.SingleFaceAsync(http, source);
        var (targetImage, targetFaces) = await CompreFaceAnalysis.FacesAsync(http, pipeline, target, query, embed: true);
        var matches = targetFaces.Faces.Select(f =>
        {
            var verdict = Recognizer.Verify(sourceFace.Embedding!, f.Embedding!);
            return CompreFaceAnalysis.Face(f, targetImage, query) with { Similarity = CompreFaceNumbers.Similarity(verdict.Distance, verdict.Threshold) };
        }).ToList();
        var result = new CompreFaceVerification(CompreFaceAnalysis.Face(sourceFace, sourceImage, query), matches);
        return Results.Ok(new CompreFaceResult<CompreFaceVerification>([result], CompreFaceAnalysis.Versions(query, pipeline)));
    }

    public static async Task<IResult> VerifyFace(string image_id, HttpContext http, FacePipeline pipeline, GalleryHost galleries)
    {
        var query = CompreFaceQuery.From(http.Request);
        var (stored, person) = StoredFace(galleries, image_id);
        var upload = CompreFaceImages.Get(await ImageRequest.ReadAsync(http), "file");
        var (image, faces) = await CompreFaceAnalysis.FacesAsync(http, pipeline, upload, query, embed: true);
        var result = faces.Faces.Select(f =>
        {
            var verdict = Recognizer.Verify(f.Embedding!, stored.Embedding);
            return CompreFaceAnalysis.Face(f, image, query) with { Subject = person, Similarity = CompreFaceNumbers.Similarity(verdict.Distance, verdict.Threshold) };
        }).ToList();
        return Results.Ok(new CompreFaceResult<CompreFaceFace>(result, CompreFaceAnalysis.Versions(query, pipeline)));
    }

    public static async Task<IResult> AddFace(HttpContext http, FaceEnrollment enrollments)
    {
        var query = CompreFaceQuery.From(http.Request);
        var subject = Subject(query["subject"] ?? throw new CompreFaceError(StatusCodes.Status400BadRequest, CompreFaceError.MissingParameter, "Required parameter 'subject' is missing"));
        var upload = CompreFaceImages.Get(await ImageRequest.ReadAsync(http), "file");
        // The subject is made once the face is found: an image without one leaves no empty subject behind.
        var force = bool.TryParse(query["force"], out var forced) && forced; // Visage's own: take a face below the quality bar
        var enrolled = await enrollments.EnrollAsync(http, g => g.GetOrCreatePerson(subject).Id, upload, force);
        return Results.Json(new CompreFaceImage(CompreFaceNumbers.ImageId(enrolled.Face.Id), enrolled.PersonName), statusCode: StatusCodes.Status201Created);
    }

    public static IResult ListFaces(HttpContext http, GalleryHost galleries)
    {
        var query = CompreFaceQuery.From(http.Request);
        var page = query.Integer("page", 0, 0, "page should be equal or greater than 0");
        var size = query.Integer("size", 20, 1, "size should be equal or greater than 1");
        var faces = galleries.Read(g => query["subject"] is { } subject
            ? g.FindPerson(subject) is { } p ? Images(g, p) : []
            : AllPersons(g).SelectMany(p => Images(g, p)).ToList());
        var pages = (faces.Count + size - 1) / size;
        return Results.Ok(new CompreFaceFacesPage([.. faces.Skip(page * size).Take(size)], page, size, pages, faces.Count));
    }

    public static IResult DeleteFaces(HttpContext http, GalleryHost galleries)
    {
        var subject = CompreFaceQuery.From(http.Request)["subject"];
        var deleted = galleries.Write(g =>
        {
            var persons = subject is null ? AllPersons(g) : g.FindPerson(subject) is { } p ? [p] : [];
            return persons.SelectMany(p => g.ListFaces(p.Id)).Count(f => g.DeleteFace(f.Id));
        });
        return Results.Ok(new { deleted });
    }

    public static IResult DeleteFace(string image_id, GalleryHost galleries)
    {
        var (face, subject) = StoredFace(galleries, image_id);
        galleries.Write(g => g.DeleteFace(face.Id));
        return Results.Ok(new CompreFaceImage(image_id, subject));
    }

    public static async Task<IResult> DeleteFaceList(HttpContext http, GalleryHost galleries)
    {
        string[] ids;
        try
        {
            ids = await JsonSerializer.DeserializeAsync<string[]>(http.Request.Body, cancellationToken: http.RequestAborted) ?? [];
        }
        catch (JsonException)
        {
            throw new CompreFaceError(StatusCodes.Status400BadRequest, CompreFaceError.Generic, "The body must be a JSON list of image ids");
        }
        var deleted = galleries.Write(g => ids.Select(id => (Id: id, Face: CompreFaceNumbers.FaceId(id) is { } faceId ? g.GetFace(faceId) : null))
            .Where(x => x.Face is not null && g.GetPerson(x.Face.PersonId) is not null)
            .Select(x => (x.Id, Subject: g.GetPerson(x.Face!.PersonId)!.Name, Deleted: g.DeleteFace(x.Face.Id)))
            .Where(x => x.Deleted).Select(x => new CompreFaceImage(x.Id, x.Subject)).ToList());
        return Results.Ok(deleted);
    }

    public static IResult FaceImage(string image_id, GalleryHost galleries)
    {
        var (face, _) = StoredFace(galleries, image_id);
        return galleries.Read(g => g.GetThumbnail(face.Id)) is { } jpeg ? Results.File(jpeg, "image/jpeg") : throw CompreFaceError.NoImage(image_id);
    }

    public static IResult ListSubjects(GalleryHost galleries) =>
        Results.Ok(new { subjects = galleries.Read(g => AllPersons(g).Select(p => p.Name).ToList()) });

    public static async Task<IResult> AddSubject(HttpContext http, GalleryHost galleries)
    {
        var subject = Subject(await SubjectBody(http));
        try
        {
            galleries.Write(g => g.CreatePerson(subject));
        }
        catch (DuplicatePersonException)
        {
            throw new CompreFaceError(StatusCodes.Status400BadRequest, CompreFaceError.SubjectExists, "Subject already exists");
        }
        return Results.Json(new { subject }, statusCode: StatusCodes.Status201Created);
    }

    public static async Task<IResult> RenameSubject(string subject, HttpContext http, GalleryHost galleries)
    {
        var newName = Subject(await SubjectBody(http));
        var updated = galleries.Write(g =>
        {
            var person = g.FindPerson(subject) ?? throw CompreFaceError.NoSubject(subject);
            if (newName == person.Name) return false;
            if (g.FindPerson(newName) is { } existing) PersonMerge.Merge(g, person.Id, existing.Id); // CompreFace merges onto a taken name
            else g.RenamePerson(person.Id, newName);
            return true;
        });
        return Results.Ok(new { updated });
    }

    public static IResult DeleteSubject(string subject, GalleryHost galleries)
    {
        galleries.Write(g => g.DeletePerson((g.FindPerson(subject) ?? throw CompreFaceError.NoSubject(subject)).Id));
        return Results.Ok(new { subject });
    }

    public static IResult DeleteSubjects(GalleryHost galleries) =>
        Results.Ok(new { deleted = galleries.Write(g => AllPersons(g).Count(p => g.DeletePerson(p.Id))) });

    private static (StoredFace Face, string Subject) StoredFace(GalleryHost galleries, string imageId) => galleries.Read(g =>
        CompreFaceNumbers.FaceId(imageId) is { } id && g.GetFace(id) is { } face && face.Embedding.ModelId == g.ModelId && g.GetPerson(face.PersonId) is { } person
            ? (face, person.Name)
            : throw CompreFaceError.NoImage(imageId));

    private static List<CompreFaceImage> Images(FaceGallery g, Person p) =>
        [.. g.ListFaces(p.Id).Where(f => f.Embedding.ModelId == g.ModelId).Select(f => new CompreFaceImage(CompreFaceNumbers.ImageId(f.Id), p.Name))];

    private static List<Person> AllPersons(FaceGallery g)
    {
        var all = new List<Person>();
        for (var offset = 0; ; offset += PersonsApi.MaxPageSize)
        {
            var page = g.ListPersons(offset, PersonsApi.MaxPageSize);
            all.AddRange(page);
            if (page.Count < PersonsApi.MaxPageSize) return all;
        }
    }

    private static string Subject(string? name) =>
        name is { Length: > 0 and <= MaxSubjectLength } && name.Trim().Length > 0 && name.IndexOfAny([';', '/', '\\']) < 0
            ? name
            : throw CompreFaceError.Invalid($"Subject name should be 1 to {MaxSubjectLength} characters, without ';', '/' or '\\'");

    private static async Task<string?> SubjectBody(HttpContext http)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            return body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.String
                ? s.GetString() : null;
        }
        catch (JsonException)
        {
            throw CompreFaceError.Invalid("The body must be JSON: {\"subject\": \"name\"}");
        }
    }
}
