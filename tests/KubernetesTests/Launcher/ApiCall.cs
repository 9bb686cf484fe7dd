namespace MnistEvents.KubernetesTests.Launcher;

/// <summary>One request to the API server, as RBAC sees it: verb, API group ("" for core), resource, and the object's name if it named one.</summary>
public sealed record ApiCall(string Verb, string Group, string Resource, string? Name);
