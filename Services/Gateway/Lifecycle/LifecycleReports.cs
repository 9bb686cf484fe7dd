using MnistEvents.Contracts;

namespace MnistEvents.Gateway.Lifecycle;

/// <summary>
/// What the controller last reported of the lifecycle it owns: the live digits' drift with its history, and the retrain
/// policy. Every gateway hears the same reports, so each shows the same; none computes its own.
/// </summary>
public sealed class LifecycleReports
{
    private DriftScored? drift;
    private RetrainPolicyChecked? policy;

    /// <summary>Raised with each report.</summary>
    public event Action? Changed;

    /// <summary>The drift now and its history, or null until the controller has reported it.</summary>
    public DriftScored? Drift => Volatile.Read(ref drift);

    /// <summary>The retrain policy as of its latest check, or null until the controller has reported it.</summary>
    public RetrainPolicyChecked? Policy => Volatile.Read(ref policy);

    public void Reported(DriftScored scored)
    {
        Volatile.Write(ref drift, scored);
        Changed?.Invoke();
    }

    public void Reported(RetrainPolicyChecked checkedPolicy)
    {
        Volatile.Write(ref policy, checkedPolicy);
        Changed?.Invoke();
    }
}
