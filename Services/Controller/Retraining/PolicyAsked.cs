using MnistEvents.Contracts;

namespace MnistEvents.Controller.Retraining;

/// <summary>
/// The retrain policy's request, sent by the controller to its own state machine's queue only (no outside publisher can
/// pose as it): <paramref name="Request"/> as any other, and the rule and cause it fired for, which the training keeps.
/// </summary>
public sealed record PolicyAsked(RequestRetrain Request, string Rule, string Cause);
