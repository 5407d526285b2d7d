using Funnel.Host.Deals.Batches;

namespace Funnel.Host.Deals;

public static class DealsConfiguration
{
    public static void AddFunnelDeals(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<DealCommandRunner>();
        builder.Services.AddSingleton<DealBatchRunner>();
        builder.Services.AddSingleton<Pipelines.PipelineCache>();
        builder.Services.AddScoped(CommandCaller.Current);
        builder.Services.AddHttpContextAccessor();
    }

    public static void UseFunnelDeals(this WebApplication app)
    {
        CommandCaller.ReadFromRequests(app);
        app.MapDealCommands();
        app.MapCommandBatch();
        app.MapGetDeal();
        app.MapListDeals();
    }
}
