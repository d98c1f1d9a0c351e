using Microsoft.AspNetCore.Http.HttpResults;
using Visage.Gallery.Storage;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary><c>/api/v1/audit</c>: the admin actions, newest first (admin scope). The same as <c>visage audit</c>.</summary>
public static class AuditApi
{
    public static void MapAudit(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/audit").WithTags("Audit").Secured(ApiKeyAuthentication.AdminPolicy);
        api.MapGet("", List).WithName("ListAudit")
            .WithSummary("Admin actions, newest first (who: key id and name; what; when): ?since (ISO 8601), before (an id, for the next page), limit")
            .ProducesValidationProblem();
    }

    public static Results<Ok<AuditPage>, ValidationProblem> List(GalleryHost galleries, DateTimeOffset? since, long? before, int limit = 100)
    {
        if (limit is < 1 or > AuditLog.MaxPage) return Problems.Invalid("limit", $"limit must be between 1 and {AuditLog.MaxPage}");
        var items = galleries.Read(g => new AuditLog(g.Store).List(new AuditQuery(since?.UtcDateTime, before, limit)));
        return TypedResults.Ok(new AuditPage(items, items.Count == limit ? items[^1].Id : null));
    }
}

/// <summary>One page of the audit log; <c>next</c> is the <c>before</c> of the following page, or null at the end.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, long? Next);
