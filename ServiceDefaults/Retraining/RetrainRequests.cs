using MassTransit;
using MnistEvents.Contracts;

namespace MnistEvents.ServiceDefaults.Retraining;

/// <summary>
/// <c>RequestRetrain</c> as whoever acts on it (the local trainer worker, the cluster's Job launcher) takes it from the
/// <c>request-retrain</c> queue, which any AMQP client may publish to (README, "Retraining from any AMQP client"): in
/// MassTransit's envelope (<c>application/vnd.masstransit+json</c>) or as the command's JSON alone (<c>application/json</c>),
/// with what such a publisher may leave out filled in here, the same for both.
/// </summary>
public static class RetrainRequests
{
    /// <summary>Who asked, when the publisher did not say.</summary>
    public const string UnnamedPublisher = "an AMQP publisher that did not say who it is";

    /// <summary>The endpoint reads the command's JSON alone as well as MassTransit's envelope, told apart by the message's content type.</summary>
    public static void AcceptPlainJson(IReceiveEndpointConfigurator endpoint) =>
        endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: false);

    /// <summary>
    /// The request with what a plain publisher may leave out filled in: a training id (the message id, so a copy
    /// delivered twice is still one training, else a new one), who asked, and when (the message's sent time, else now).
    /// </summary>
    public static RequestRetrain Of(ConsumeContext<RequestRetrain> context, TimeProvider time)
    {
        var request = context.Message;
        return request with
        {
            TrainingId = request.TrainingId != Guid.Empty ? request.TrainingId : context.MessageId ?? NewId.NextGuid(),
            RequestedBy = string.IsNullOrWhiteSpace(request.RequestedBy) ? UnnamedPublisher : request.RequestedBy,
            RequestedAt = request.RequestedAt != default ? request.RequestedAt : context.SentTime is { } sent ? new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : time.GetUtcNow(),
        };
    }
}
