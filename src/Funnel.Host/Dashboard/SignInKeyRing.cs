using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Funnel.Host.Dashboard;

/// <summary>
/// ASP.NET Core data protection's keys, kept in the store: every node of a service reads the sign-in cookies every other
/// node wrote, and a restart signs nobody out.
/// </summary>
public sealed class SignInKeyRing(IDocumentStore store) : IXmlRepository
{
    public static void Register(StoreOptions options) => options.Schema.For<StoredProtectionKey>().SingleTenanted();

    public static void AddTo(IServiceCollection services)
    {
        services.AddSingleton<SignInKeyRing>();
        services.AddDataProtection().SetApplicationName("Funnel");
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<SignInKeyRing>((o, ring) => o.XmlRepository = ring);
    }

    // The interface is synchronous; ASP.NET Core reads the ring once and again only when a key expires or is added.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var session = store.QuerySession();
        return [.. session.Query<StoredProtectionKey>().ToListAsync().GetAwaiter().GetResult().Select(k => XElement.Parse(k.Xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new StoredProtectionKey { Id = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }
}

/// <summary>One data-protection key as its XML (the key ring encrypts nothing at rest here: the store is the secret).</summary>
public sealed class StoredProtectionKey
{
    public string Id { get; set; } = "";

    public string Xml { get; set; } = "";
}
