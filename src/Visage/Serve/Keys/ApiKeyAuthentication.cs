using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Visage.Serve.Keys;

/// <summary>Authenticates a request by its <c>X-Api-Key</c> header; answers 401 and 403 as problem details.</summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyRing keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string ScopeClaim = "scope";
    public const string KeyIdClaim = "key_id";

    /// <summary>Authorization policies, one per scope.</summary>
    public const string AdminPolicy = "admin", RecognizePolicy = "recognize";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || string.IsNullOrEmpty(values.ToString()))
            return Task.FromResult(AuthenticateResult.NoResult());
        if (keys.Find(values.ToString()) is not { } key)
            return Task.FromResult(AuthenticateResult.Fail("invalid API key"));
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, key.Name),
            new Claim(KeyIdClaim, key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ScopeClaim, key.Claim),
        ], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{Header}\"";
        await Problem(StatusCodes.Status401Unauthorized, result.Failure is null
            ? $"This endpoint needs an API key in the {Header} header."
            : $"The API key in the {Header} header is not valid (unknown or revoked).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Problem(StatusCodes.Status403Forbidden, "This API key's scope does not allow this request: it needs an admin key.");
    }

    private Task Problem(int status, string detail) => problems.WriteAsync(new ProblemDetailsContext
    {
        HttpContext = Context,
        ProblemDetails = { Status = status, Detail = detail },
    }).AsTask();

    /// <summary>The key that authenticated <paramref name="user"/>, as the audit log names it; null for none.</summary>
    public static Gallery.Storage.AuditActor? ActorOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst(KeyIdClaim)?.Value, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? new(id, user.Identity?.Name ?? "") : null;

    /// <summary>Registers the scheme and one policy per scope (admin keys pass the recognize policy too).</summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.RequireClaim(ScopeClaim, KeyScope.Admin.Name()))
            .AddPolicy(RecognizePolicy, p => p.RequireClaim(ScopeClaim, KeyScope.Admin.Name(), KeyScope.Recognize.Name()));
    }
}
