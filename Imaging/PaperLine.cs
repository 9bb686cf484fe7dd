namespace MnistEvents.Imaging;

/// <summary>
/// One straight line of the paper's that <see cref="PaperLines"/> found: in a <see cref="MaskPlane"/>'s coordinates
/// (along u, across v), the band from <see cref="From"/> + u × <see cref="Slope"/> to <see cref="To"/> + u × <see cref="Slope"/>.
/// </summary>
internal readonly record struct PaperLine(bool Transposed, double Slope, int From, int To);
