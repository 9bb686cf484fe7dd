namespace MnistEvents.BrowserTests.Support;

/// <summary>An all-in-one of its own for the retrain test, whose new model must not change what the other tests see.</summary>
public sealed class TrainingApp() : UiApp(withWeb: false);
