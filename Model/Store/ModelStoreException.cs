namespace MnistEvents.Model.Store;

/// <summary>A model file that cannot be used: missing, not a state_dict, an unknown network, or not matching its manifest.</summary>
public sealed class ModelStoreException(string message, Exception? inner = null) : Exception(message, inner);
