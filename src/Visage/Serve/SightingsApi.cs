using Microsoft.AspNetCore.Http.HttpResults;
using Visage.Clustering;
using Visage.Contracts;
using Visage.Gallery.Storage;
using Visage.Serve.Keys;
using Visage.Sightings;

namespace Visage.Serve;

/// <summary>
/// <c>/api/v1/sightings</c>: every appearance the Frigate bridge (and cameras) reported, and the feedback that teaches the
/// gallery from them: "this is X" (<c>enroll</c>), "that was not me" (<c>reject</c>), and the unknown faces grouped into
/// probable people (admin scope: who was where is personal data).
/// </summary>
public static class SightingsApi
{
    public static void MapSightings(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/sightings").WithTags("Sightings").Secured(ApiKeyAuthentication.AdminPolicy);
        api.MapGet("", List).WithName("ListSightings").WithSummary("Sightings, newest first: ?camera, personId, unknown, since (ISO 8601), before (an id, for the next page), limit")
            .ProducesValidationProblem();
        api.MapGet("/{id:long}", Get).WithName("GetSighting").WithSummary("A sighting").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/{id:long}", Delete).WithName("DeleteSighting").WithSummary("Delete a sighting and erase its face (descriptor, thumbnail, image hash)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:long}/thumbnail", Thumbnail).WithName("GetSightingThumbnail").WithSummary("A small JPEG of the sighting's best face")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:long}/enroll", Enroll).WithName("EnrollSighting")
            .WithSummary("This is that person: {\"personId\"} or {\"name\"} (made when missing); the sighting's best face is enrolled as theirs")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/{id:long}/reject", Reject).WithName("RejectSighting")
            .WithSummary("That was not them: the name is taken off the sighting, and its face no longer matches that person")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/unknown/clusters", Clusters).WithName("ClusterUnknownSightings")
            .WithSummary("Unknown sightings grouped into probable people, each group with the enrolled person it probably is; ?limit (most recent sightings read), threshold")
            .ProducesValidationProblem();
    }

    public static Results<Ok<SightingsPage>, ValidationProblem> List(GalleryHost galleries, string? camera, long? personId, bool? unknown,
        DateTimeOffset? since, long? before, int limit = 100)
    {
        if (limit is < 1 or > SightingStore.MaxPage) return Problems.Invalid("limit", $"limit must be between 1 and {SightingStore.MaxPage}");
        var query = new SightingQuery(camera, personId, unknown, since?.UtcDateTime, before, limit);
        var items = galleries.Sightings((_, s) => s.List(query)).Select(SightingDto.From).ToList();
        return TypedResults.Ok(new SightingsPage(items, items.Count == limit ? items[^1].Id : null));
    }

    public static Results<Ok<SightingDto>, ProblemHttpResult> Get(long id, GalleryHost galleries) =>
        galleries.Sightings((_, s) => s.Get(id)) is { } sighting ? TypedResults.Ok(SightingDto.From(sighting)) : NotFound(id);

    public static Results<NoContent, ProblemHttpResult> Delete(long id, GalleryHost galleries) =>
        galleries.Sightings((_, s) => s.Delete(id)) ? TypedResults.NoContent() : NotFound(id);

    public static Results<FileContentHttpResult, ProblemHttpResult> Thumbnail(long id, GalleryHost galleries) =>
        galleries.Sightings((_, s) => s.GetThumbnail(id)) is { } jpeg ? TypedResults.File(jpeg, "image/jpeg") : NotFound(id);

    public static Results<Ok<SightingEnrolled>, ValidationProblem, ProblemHttpResult> Enroll(long id, SightingEnrollRequest body, GalleryHost galleries)
    {
        if ((body.PersonId is null) == string.IsNullOrWhiteSpace(body.Name))
            return Problems.Invalid("personId", "send either personId or name");
        try
        {
            var (face, sighting) = galleries.Sightings((g, s) =>
            {
                if (s.Get(id) is null) throw new SightingNotFoundException(id); // before a name is made for nothing
                var person = body.PersonId ?? g.GetOrCreatePerson(body.Name!.Trim()).Id;
                return SightingFeedback.Enroll(g, s, id, person);
            });
            return TypedResults.Ok(new SightingEnrolled(SightingDto.From(sighting), EnrolledFaceDto.From(face.Face), face.Created));
        }
        catch (SightingNotFoundException)
        {
            return NotFound(id);
        }
        catch (PersonNotFoundException e)
        {
            return Problems.NotFound($"No person with id {e.PersonId}.");
        }
        catch (ArgumentException e) // a sighting of another model than the gallery's
        {
            throw ProblemException.Unprocessable(e.Message);
        }
    }

    public static Results<Ok<SightingRejected>, ProblemHttpResult> Reject(long id, GalleryHost galleries)
    {
        try
        {
            var (rejection, sighting) = galleries.Sightings((g, s) => SightingFeedback.Reject(g, s, id));
            return TypedResults.Ok(new SightingRejected(SightingDto.From(sighting), rejection.Id, rejection.PersonId));
        }
        catch (SightingNotFoundException)
        {
            return NotFound(id);
        }
        catch (SightingUnnamedException e)
        {
            return Problems.Conflict(e.Message);
        }
        catch (ArgumentException e)
        {
            throw ProblemException.Unprocessable(e.Message);
        }
    }

    public static Results<Ok<UnknownClustersResponse>, ValidationProblem> Clusters(GalleryHost galleries, int limit = 500, float? threshold = null)
    {
        if (limit is < 1 or > SightingStore.MaxPage) return Problems.Invalid("limit", $"limit must be between 1 and {SightingStore.MaxPage}");
        var options = new ClusteringOptions();
        if (threshold is { } t)
        {
            if (!(t > 0)) return Problems.Invalid("threshold", "threshold must be a positive number");
            options = options with { Threshold = t };
        }
        var groups = galleries.Sightings((g, s) => UnknownSightings.Group(g, s.List(new SightingQuery(Unknown: true, Limit: limit)), options));
        return TypedResults.Ok(new UnknownClustersResponse(options.Threshold, ClusterApi.AlgorithmName(options.Algorithm),
            [.. groups.Clusters.Select(c => new SightingClusterDto([.. c.Sightings.Select(SightingDto.From)], MergeSuggestionDto.From(c.MergeInto)))],
            [.. groups.Unclustered.Select(SightingDto.From)]));
    }

    private static ProblemHttpResult NotFound(long id) => Problems.NotFound($"No sighting with id {id} (retention may have deleted it).");
}

/// <summary>A sighting on the wire: <c>personId</c> and <c>name</c> are null for an unknown face.</summary>
public sealed record SightingDto(long Id, string Camera, string Source, string? EventId, DateTime Start, DateTime End,
    long? PersonId, string? Name, float? Confidence, float? Distance, BoxJson Box, float Score, string Thumbnail)
{
    public static SightingDto From(Sighting s) => new(s.Id, s.Camera, s.Source, s.EventId, s.StartUtc, s.EndUtc, s.PersonId, s.PersonName,
        s.Confidence, s.Distance, BoxJson.From(s.Face.Box), MathF.Round(s.Face.Score, 4), $"/api/v1/sightings/{s.Id}/thumbnail");
}

/// <summary>One page of sightings; <c>next</c> is the <c>before</c> of the following page, or null at the end.</summary>
public sealed record SightingsPage(IReadOnlyList<SightingDto> Items, long? Next);

/// <summary>The body of <c>POST /sightings/{id}/enroll</c>: who it is, by id or by name (made when missing).</summary>
public sealed record SightingEnrollRequest(long? PersonId, string? Name);

/// <summary>The answer of an enroll: the sighting as named now, and the face enrolled (created false: it was already).</summary>
public sealed record SightingEnrolled(SightingDto Sighting, EnrolledFaceDto Face, bool Created);

/// <summary>The answer of a reject: the sighting (unknown now) and the rejection kept for the person.</summary>
public sealed record SightingRejected(SightingDto Sighting, long RejectionId, long RejectedPersonId);

/// <summary>A group of unknown sightings that look like one person, and the person to merge them into, or null for someone new.</summary>
public sealed record SightingClusterDto(IReadOnlyList<SightingDto> Sightings, MergeSuggestionDto? MergeInto);

/// <summary>The unknown sightings, grouped.</summary>
public sealed record UnknownClustersResponse(float Threshold, string Algorithm, IReadOnlyList<SightingClusterDto> Clusters, IReadOnlyList<SightingDto> Unclustered);
