namespace MnistEvents.Model.Evaluation;

/// <summary>The ways people send a digit, as the validation set renders them (<see cref="UploadRenderer"/>).</summary>
public enum UploadStyle
{
    /// <summary>The UI's drawing pad: uniform round-pen strokes on a transparent 280×280 canvas, as a PNG.</summary>
    Canvas,

    /// <summary>Dark ink on a photographed sheet of paper: uneven light, sensor noise, a little blur, as a JPEG.</summary>
    PaperPhoto,

    /// <summary>A small dark-on-white digit far from the centre of a wide screenshot, as a PNG.</summary>
    OffCentre,

    /// <summary>A dark-on-white scan saved as a heavily compressed JPEG.</summary>
    Jpeg,

    /// <summary>A phone photo stored turned (EXIF Orientation 2–8, mostly 6 and 8), in a JPEG, PNG or WebP, either byte order.</summary>
    SidewaysPhoto,

    /// <summary>Pen on ruled paper: coloured rules about a digit's height apart, often a red margin, the page a little tilted.</summary>
    RuledPaper,

    /// <summary>Pen on squared paper: a grid of faint lines, sometimes every fifth one heavier.</summary>
    GridPaper,

    /// <summary>A blue, red or green pen photographed small (220–380 px), with a small photo's sensor noise.</summary>
    ColouredPen,

    /// <summary>The page on a desk: its edge in view, tinted or recycled paper, a shadow, specks of dirt, uneven light.</summary>
    DeskPhoto,

    /// <summary>A screenshot or photo saved as lossy WebP, quality 30–90.</summary>
    LossyWebp,

    /// <summary>An animated WebP whose first frame is the digit (lossy or lossless frames).</summary>
    AnimatedWebp,
}
