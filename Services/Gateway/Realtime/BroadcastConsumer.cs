using MassTransit;
using Microsoft.AspNetCore.SignalR;
using MnistEvents.Contracts;

namespace MnistEvents.Gateway.Realtime;

/// <summary>Training and model events, pushed to every connected UI.</summary>
public sealed class BroadcastConsumer(IHubContext<PredictionsHub> hub) :
    IConsumer<TrainingStarted>, IConsumer<TrainingProgressed>, IConsumer<TrainingCompleted>, IConsumer<TrainingFailed>,
    IConsumer<RetrainRejected>, IConsumer<ModelLoaded>, IConsumer<ModelSaved>, IConsumer<CandidateJudged>, IConsumer<PromotionDecided>,
    IConsumer<ModelActivated>, IConsumer<RetrainSettled>
{
    public Task Consume(ConsumeContext<TrainingStarted> context) => Push("trainingStarted", context.Message, context);

    public Task Consume(ConsumeContext<TrainingProgressed> context) => Push("trainingProgressed", context.Message, context);

    public Task Consume(ConsumeContext<TrainingCompleted> context) => Push("trainingCompleted", context.Message, context);

    public Task Consume(ConsumeContext<TrainingFailed> context) => Push("trainingFailed", context.Message, context);

    public Task Consume(ConsumeContext<RetrainRejected> context) => Push("retrainRejected", context.Message, context);

    public Task Consume(ConsumeContext<ModelLoaded> context) => Push("modelLoaded", context.Message, context);

    public Task Consume(ConsumeContext<ModelSaved> context) => Push("modelSaved", context.Message, context);

    public Task Consume(ConsumeContext<CandidateJudged> context) => Push("candidateJudged", context.Message, context);

    public Task Consume(ConsumeContext<RetrainSettled> context) => Push("retrainSettled", context.Message, context);

    public Task Consume(ConsumeContext<PromotionDecided> context) => Push("promotionDecided", context.Message, context);

    public Task Consume(ConsumeContext<ModelActivated> context) => Push("modelActivated", context.Message, context);

    private Task Push<T>(string method, T message, ConsumeContext context) =>
        hub.Clients.All.SendAsync(method, message, context.CancellationToken);
}
