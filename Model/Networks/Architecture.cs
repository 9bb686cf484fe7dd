namespace MnistEvents.Model.Networks;

/// <summary>The networks a model file can hold; the manifest records which one.</summary>
public enum Architecture
{
    Cnn,
    Mlp,
}
