using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary>Declares the <c>X-Api-Key</c> header in the OpenAPI document, so the API page can send it.</summary>
internal sealed class ApiKeyOpenApi : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Visage API";
        document.Info.Description = "Face detection, recognition and a gallery of people. Send an API key in the X-Api-Key header.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthentication.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthentication.Header,
            Description = "An admin key (everything) or a recognize key (detect, embed, verify, recognize).",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthentication.SchemeName, document)] = [] });
        return Task.CompletedTask;
    }
}
