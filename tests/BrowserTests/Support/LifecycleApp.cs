namespace MnistEvents.BrowserTests.Support;

/// <summary>An all-in-one of its own for the model lifecycle test, which trains, refuses and switches models.</summary>
public sealed class LifecycleApp() : UiApp(withWeb: false);
