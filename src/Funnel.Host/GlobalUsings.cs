// What nearly every endpoint and feature file names: the domain's rejections and scopes, the access and HTTP helpers.
global using Funnel.Domain;
global using Funnel.Domain.Access;
global using Funnel.Host.Access;
global using Funnel.Host.Http;
global using Funnel.Host.Http.OpenApi;
global using Marten;
global using Microsoft.AspNetCore.Mvc;
global using Wolverine.Http;
