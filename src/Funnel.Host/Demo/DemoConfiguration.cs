using Funnel.Host.Storage;

namespace Funnel.Host.Demo;

public static class DemoConfiguration
{
    /// <summary>The demo history, only into the private store (never into a configured database), unless Funnel:Demo:Seed=false.</summary>
    public static void AddFunnelDemo(this WebApplicationBuilder builder, StorageMode storage)
    {
        if (storage.Private && builder.Configuration.GetValue("Funnel:Demo:Seed", true))
        {
            builder.Services.AddHostedService<DemoSeeder>();
        }
    }
}
