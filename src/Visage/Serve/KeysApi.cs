using Microsoft.AspNetCore.Http.HttpResults;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary><c>/api/v1/keys</c>: API keys (admin scope). The same as <c>visage keys create|list|revoke</c>.</summary>
public static class KeysApi
{
    public static void MapKeys(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/keys").WithTags("API keys").Secured(ApiKeyAuthentication.AdminPolicy);
        api.MapGet("", List).WithName("ListKeys").WithSummary("The keys (names, scopes, prefixes; never the keys)");
        api.MapPost("", Create).WithName("CreateKey").WithSummary("Make a key; the answer is the only time it is shown")
            .ProducesValidationProblem();
        api.MapDelete("/{id:long}", Revoke).WithName("RevokeKey").WithSummary("Revoke a key").ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static Ok<List<ApiKeyDto>> List(ApiKeyRing keys) => TypedResults.Ok(keys.Store.List().Select(k => ApiKeyDto.From(k)).ToList());

    public static Results<Created<ApiKeyDto>, ValidationProblem> Create(KeyRequest body, ApiKeyRing keys)
    {
        if (string.IsNullOrWhiteSpace(body.Name)) return Problems.Invalid("name", "name must not be empty");
        if (ApiKeySecret.ParseScope(body.Scope ?? "recognize") is not { } scope) return Problems.Invalid("scope", "scope must be admin or recognize");
        var compreface = CompreFaceService.Parse(body.CompreFace);
        if (body.CompreFace is not null && compreface is null)
            return Problems.Invalid("compreface", "compreface must be recognition, detection or verification");
        var key = compreface is null ? ApiKeySecret.Generate() : ApiKeySecret.GenerateUuid();
        var stored = keys.Store.Add(body.Name.Trim(), scope, key, compreface);
        keys.Invalidate();
        return TypedResults.Created($"/api/v1/keys/{stored.Id}", ApiKeyDto.From(stored, key));
    }

    public static Results<NoContent, ProblemHttpResult> Revoke(long id, ApiKeyRing keys)
    {
        if (!keys.Store.Revoke(id)) return Problems.NotFound($"No API key with id {id}.");
        keys.Invalidate();
        return TypedResults.NoContent();
    }
}
