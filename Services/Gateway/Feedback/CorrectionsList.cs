namespace MnistEvents.Gateway.Feedback;

/// <summary>
/// <c>GET /feedback/corrections</c>: how many corrections are kept, trusted and refused (by reason), and the newest of
/// those asked for.
/// </summary>
public sealed record CorrectionsList(int Total, int Trusted, int Refused, IReadOnlyDictionary<string, int> RefusedBy, IReadOnlyList<CorrectionView> Corrections);
