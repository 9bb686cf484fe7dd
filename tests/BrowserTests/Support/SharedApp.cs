namespace MnistEvents.BrowserTests.Support;

/// <summary>The all-in-one with Services/Web in front of it, shared by the tests that do not change the model.</summary>
public sealed class SharedApp() : UiApp(withWeb: true);
