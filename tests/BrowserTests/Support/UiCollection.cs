namespace MnistEvents.BrowserTests.Support;

[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<ChromiumFixture>, ICollectionFixture<SharedApp>
{
    public const string Name = "ui";
}
