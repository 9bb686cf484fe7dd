using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MnistEvents.KubernetesTests.Launcher;

/// <summary>
/// The slice of the Kubernetes API the launcher uses, served by Kestrel on loopback (as KubernetesClient's own tests
/// fake it): CronJobs to read, Jobs to create, list, read and delete, pods to list. It keeps what it is given and
/// records every call as the RBAC verb, API group and resource it needs.
/// </summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeKubernetesApi(WebApplication app) => this.app = app;

    public ConcurrentDictionary<string, V1CronJob> CronJobs { get; } = new();

    public ConcurrentDictionary<string, V1Job> Jobs { get; } = new();

    public ConcurrentDictionary<string, V1Pod> Pods { get; } = new();

    public ConcurrentQueue<ApiCall> Calls { get; } = new();

    public Uri Url => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        var app = builder.Build();
        var fake = new FakeKubernetesApi(app);

        app.MapGet("/apis/batch/v1/namespaces/{ns}/cronjobs/{name}", (string ns, string name) =>
            fake.Answer("get", "batch", "cronjobs", name, fake.CronJobs.TryGetValue(name, out var c) ? c : null));
        app.MapGet("/apis/batch/v1/namespaces/{ns}/jobs", (string ns, string? labelSelector) =>
            fake.Answer("list", "batch", "jobs", null, new V1JobList { Items = fake.Jobs.Values.Where(j => Selected(j.Metadata, labelSelector)).ToList() }));
        app.MapPost("/apis/batch/v1/namespaces/{ns}/jobs", async (string ns, HttpRequest request) =>
        {
            var job = KubernetesJson.Deserialize<V1Job>(await new StreamReader(request.Body).ReadToEndAsync());
            // As the API server answers a name already taken: 409 AlreadyExists, the old Job kept.
            if (fake.Jobs.ContainsKey(job.Metadata.Name))
                return fake.Answer("create", "batch", "jobs", job.Metadata.Name, Status("Failure", 409), HttpStatusCode.Conflict);
            job.Metadata.CreationTimestamp = DateTime.UtcNow;
            job.Status = new V1JobStatus { Active = 1 };
            fake.Jobs[job.Metadata.Name] = job;
            return fake.Answer("create", "batch", "jobs", job.Metadata.Name, job, HttpStatusCode.Created);
        });
        app.MapGet("/apis/batch/v1/namespaces/{ns}/jobs/{name}", (string ns, string name) =>
            fake.Answer("get", "batch", "jobs", name, fake.Jobs.TryGetValue(name, out var j) ? j : null));
        app.MapDelete("/apis/batch/v1/namespaces/{ns}/jobs/{name}", (string ns, string name) =>
            fake.Answer("delete", "batch", "jobs", name, fake.Jobs.TryRemove(name, out _) ? Status("Success", 200) : null));
        app.MapGet("/api/v1/namespaces/{ns}/pods", (string ns, string? labelSelector) =>
            fake.Answer("list", "", "pods", null, new V1PodList { Items = fake.Pods.Values.Where(p => Selected(p.Metadata, labelSelector)).ToList() }));
        app.MapFallback((HttpContext context) =>
        {
            fake.Calls.Enqueue(new ApiCall(context.Request.Method, "?", context.Request.Path, null));
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        });

        await app.StartAsync();
        return fake;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private IResult Answer(string verb, string group, string resource, string? name, object? body, HttpStatusCode status = HttpStatusCode.OK)
    {
        Calls.Enqueue(new ApiCall(verb, group, resource, name));
        return body switch
        {
            null => Results.Content(Status("Failure", 404), "application/json", statusCode: 404),
            string json => Results.Content(json, "application/json", statusCode: (int)status),
            _ => Results.Content(KubernetesJson.Serialize(body), "application/json", statusCode: (int)status),
        };
    }

    // KubernetesClient reads a Status but cannot write one.
    private static string Status(string status, int code) =>
        $"{{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"{status}\",\"code\":{code}}}";

    // Equality selectors only ("a=b,c=d"), which is all the launcher sends.
    private static bool Selected(V1ObjectMeta metadata, string? selector) =>
        string.IsNullOrEmpty(selector) || selector.Split(',').Select(term => term.Split('=', 2)).All(kv =>
            metadata.Labels is { } labels && labels.TryGetValue(kv[0], out var value) && value == kv[1]);
}
