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
}
