using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Training;
using MnistEvents.Registry;

namespace MnistEvents.Trainer.Training;

/// <summary>
/// What one training run is asked to do. With a <paramref name="Registry"/>, it mixes in that volume's
/// <paramref name="Corrections"/>, saves a version there and has the promotion gate judge it; without one (the seed's
/// command line without <c>--save-model</c>) it only trains and reports. <paramref name="By"/> names the training, for the
/// activation history; <paramref name="RequestedBy"/> who or what asked for it and why (the request's words), for the
/// version's lineage, which says <paramref name="By"/> when no request named anyone.
/// </summary>
public sealed record TrainingRun(Guid TrainingId, TrainingOptions Training, PromotionOptions Promotion, string DataDirectory, ModelRegistry? Registry,
    CorrectionsLog? Corrections, string By, string? RequestedBy = null);
