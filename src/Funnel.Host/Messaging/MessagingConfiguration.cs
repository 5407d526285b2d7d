using Funnel.Domain.Deals;
using Funnel.Host.Deals;
using Funnel.Host.Storage;
using JasperFx;
using JasperFx.Core;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Postgresql;

namespace Funnel.Host.Messaging;

public static class MessagingConfiguration
{
    /// <summary>The durable PostgreSQL queue other services send deal commands to.</summary>
    public const string CommandQueue = "funnel-commands";

    public static void AddFunnelMessaging(this WebApplicationBuilder builder, StorageMode storage)
    {
        builder.Host.UseWolverine(options =>
        {
            options.ApplicationAssembly = typeof(MessagingConfiguration).Assembly;
            if (storage.Solo)
            {
                options.Durability.Mode = DurabilityMode.Solo;
            }

            options.Policies.AutoApplyTransactions();

            // The caller comes from the HTTP request when there is one (a factory Wolverine cannot inline).
            options.CodeGeneration.AlwaysUseServiceLocationFor<CommandCaller>();

            // So do the report connections of the caller's tenant.
            options.CodeGeneration.AlwaysUseServiceLocationFor<Funnel.Projections.Reports.ReportDatabase>();
            options.Policies.UseDurableLocalQueues();
            options.ListenToPostgresqlQueue(CommandQueue);
            options.PublishMessage<CaptureDeal>().ToPostgresqlQueue(CommandQueue);
            options.PublishMessage<Deals.Batches.DealCommandBatch>().ToPostgresqlQueue(CommandQueue);
            options.Publish(rule => rule.MessagesImplementing<IDealCommand>().ToPostgresqlQueue(CommandQueue));

            options.OnException<DealCommandRejectedException>(e => e.Retryable)
                .RetryWithCooldown(50.Milliseconds(), 200.Milliseconds(), 1.Seconds());
            options.OnException<ConcurrencyException>().RetryWithCooldown(50.Milliseconds(), 200.Milliseconds(), 1.Seconds());

            options.OnException<AccessRefusedException>().MoveToErrorQueue();

            // A refused command is permanent: keep it in the dead-letter store for inspection instead of retrying.
            options.OnException<DealCommandRejectedException>().MoveToErrorQueue();
        });
    }
}
