namespace MnistEvents.Model.Evaluation;

/// <summary>Which inks <see cref="UploadRenderer"/> may pick: any (black, blue, red, green, pencil), or only the coloured pens.</summary>
internal enum InkKinds
{
    All,
    Coloured,
}
