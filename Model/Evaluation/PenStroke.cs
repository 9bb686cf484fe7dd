namespace MnistEvents.Model.Evaluation;

/// <summary>How a rendered digit's strokes are laid (<see cref="HandDigit"/>).</summary>
public enum PenStroke
{
    /// <summary>MNIST's own grey, soft-edged strokes, scaled up.</summary>
    Soft,

    /// <summary>Uniform ink of about MNIST's stroke width with antialiased edges, as a ballpoint or a drawing pad lays it.</summary>
    Ballpoint,

    /// <summary>Thick uniform strokes, as a felt marker lays them.</summary>
    Marker,

    /// <summary>Thin strokes, as a fine liner lays them.</summary>
    Fine,
}
