using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MnistEvents.Imaging;
using MnistEvents.Model.Evaluation;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.PixelFormats;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>The HTTP API of the embedded default, end to end through the in-memory bus to a real model.</summary>
public class PredictionApiTests(AllInOneFactory factory) : IClassFixture<AllInOneFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task RootAnswersTheSeedsJson()
    {
        var json = await client.GetFromJsonAsync<JsonElement>("/");
        Assert.Equal("use POST /prediction instead of root route", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task MultipartFileFieldIsClassifiedWithTheSeedsClassNameAndTheDetails()
    {
        var answers = new List<JsonElement>();
        for (var i = 0; i < 10; i++)
        {
            var response = await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(i)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(await response.Content.ReadFromJsonAsync<JsonElement>());
        }

        Assert.True(answers.Where((a, i) => a.GetProperty("class_name").GetInt32() == TestData.Test.Labels[i]).Count() >= 9);
        var first = answers[0];
        Assert.Equal(first.GetProperty("class_name").GetInt32(), first.GetProperty("digit").GetInt32());
        Assert.Equal(10, first.GetProperty("probabilities").GetArrayLength());
        Assert.InRange(first.GetProperty("confidence").GetSingle(), 0.5f, 1f);
        Assert.StartsWith("unversioned-", first.GetProperty("modelVersion").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("replica").GetString()));
        Assert.True(first.GetProperty("elapsedMs").GetDouble() > 0);
    }

    [Fact]
    public async Task TheAnswerCarriesWhatTheModelSawTheUploadAfterPreprocessing()
    {
        var upload = Uploads.DigitPng(3);

        var json = await (await client.PostAsync("/prediction", Uploads.Form(upload))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(new DigitPreprocessor().Preprocess(upload).Pixels, json.GetProperty("modelInput").GetBytesFromBase64());
    }

    [Fact]
    public async Task ADoubtfulUploadIsAnsweredAndSaysWhyInWordsAClearOneSaysNothing()
    {
        // A 60-pixel digit in a 1600×1200 photo: read, but a person should crop closer.
        var tiny = await client.PostAsync("/prediction", Uploads.Form(Photos.Digit(0, 1600, 1200, 60, Photos.Black, left: 300, top: 200), contentType: "image/jpeg"));
        var clear = await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(0)));

        Assert.Equal(HttpStatusCode.OK, tiny.StatusCode);
        var doubtful = await tiny.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(TestData.Test.Labels[0], doubtful.GetProperty("class_name").GetInt32());
        var warning = Assert.Single(doubtful.GetProperty("warnings").EnumerateArray());
        Assert.StartsWith("The digit fills only a small part of the picture", warning.GetString());
        Assert.Empty((await clear.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("warnings").EnumerateArray());
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    public async Task ASidewaysPhonePhotoOfABluePenDigitOnRuledPaperIsReadUpright(int orientation)
    {
        // The issue's own case as a person makes it: school paper (blue rules, a red margin), a blue ballpoint, and a
        // phone that stores the photo sideways with an EXIF Orientation tag; rule spacing and place seeded per digit.
        var right = 0;
        for (var i = 0; i < 10; i++)
        {
            var random = new Random(orientation * 100 + i);
            var scene = Photos.Page(900, 1200);
            // The page a little askew in the frame; its rules parallel, as printed.
            var tilt = 2 * random.NextDouble() - 1;
            var spacing = 60 + random.Next(40);
            for (var y = 40.0 + random.Next(40); y < 1200; y += spacing) scene.Rule(0, y, tilt, 2, SceneColour.From(120, 165, 225), 0.9f);
            scene.Rule(100 + random.Next(60), 0, 90 + tilt, 2.5, SceneColour.From(225, 90, 100), 1);
            Photos.Write(scene, i, 220 + random.Next(120), SceneColour.From(30, 50, 160), left: 250 + random.Next(300), top: 300 + random.Next(500), seed: i);
            using var upright = Image.Load<Rgb24>(Photos.Photograph(scene, seed: i));
            using var stored = UploadFiles.StoredFor(upright, orientation);
            var photo = UploadFiles.WithOrientation(UploadFiles.Jpeg(stored, 85), orientation, bigEndian: i % 2 == 0);

            var response = await client.PostAsync("/prediction", Uploads.Form(photo, contentType: "image/jpeg"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (answer.GetProperty("class_name").GetInt32() == TestData.Test.Labels[i]) right++;
        }
        Assert.True(right >= 9, $"{right} of 10 read right");
    }

    [Fact]
    public async Task ConcurrentRequestsAreCoalescedIntoSharedForwardPasses()
    {
        // One batch in flight at a time: while it is answered the others wait and go together. (With eight in flight, on
        // a machine busy with other tests, uploads decoded one by one could each find a free slot and go alone.)
        using var oneInFlight = factory.WithWebHostBuilder(b => b.UseSetting("Gateway:CoalescerMaxInFlight", "1")).CreateClient();
        await oneInFlight.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(0))); // model loaded, paths warm
        using var batches = new BatchSizes();

        var responses = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => oneInFlight.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(i)))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(64, batches.Sizes.Sum());
        Assert.True(batches.Sizes.Max() > 1, $"batch sizes {string.Join(",", batches.Sizes)}");
    }

    [Fact]
    public async Task RawImageBodyIsClassifiedToo()
    {
        var body = new ByteArrayContent(Uploads.DigitPng(0));
        body.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        var json = await (await client.PostAsync("/prediction", body)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(TestData.Test.Labels[0], json.GetProperty("class_name").GetInt32());
    }

    public static TheoryData<string, HttpStatusCode, string> BadUploads => new()
    {
        { "missing-field", HttpStatusCode.BadRequest, "no field 'file'" },
        { "text-field", HttpStatusCode.BadRequest, "must be a file upload" },
        { "empty", HttpStatusCode.BadRequest, "empty" },
        { "not-an-image", HttpStatusCode.BadRequest, "not an image" },
        { "truncated", HttpStatusCode.BadRequest, "damaged" },
        { "tiff", HttpStatusCode.UnsupportedMediaType, "TIFF" },
        { "json-body", HttpStatusCode.UnsupportedMediaType, "application/json" },
        { "too-large", HttpStatusCode.RequestEntityTooLarge, "limit is 200,000" },
        { "bomb", HttpStatusCode.UnprocessableEntity, "20000×20000" },
        { "blank", HttpStatusCode.UnprocessableEntity, "No digit found" },
        { "unterminated-form", HttpStatusCode.BadRequest, "The multipart form could not be read" },
        { "wrong-boundary", HttpStatusCode.BadRequest, "The multipart form could not be read" },
        { "garbage-form", HttpStatusCode.BadRequest, "The multipart form could not be read" },
        { "too-many-fields", HttpStatusCode.BadRequest, "Form value count limit 1024 exceeded" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task EveryBadUploadIsA4xxProblemSayingWhatWasWrong(string kind, HttpStatusCode status, string says)
    {
        HttpContent content = kind switch
        {
            "missing-field" => Uploads.Form(Uploads.DigitPng(0), field: "image"),
            "text-field" => new MultipartFormDataContent { { new StringContent("7"), "file" } },
            "empty" => Uploads.Form([]),
            "not-an-image" => Uploads.Form("just some text"u8.ToArray(), contentType: "text/plain"),
            "truncated" => Uploads.Form(Uploads.DigitPng(0)[..200]),
            "tiff" => Uploads.Form(Encode(new TiffEncoder()), contentType: "image/tiff"),
            "json-body" => JsonContent.Create(new { file = "7.png" }),
            "too-large" => Uploads.Form(Encode(new BmpEncoder(), side: 300)),
            "bomb" => Uploads.Form(ImageBombs.PngPixels(20_000, 20_000)),
            "blank" => Uploads.Form(Blank()),
            "unterminated-form" => RawForm("abc", "abc", closed: false),
            "wrong-boundary" => RawForm("abc", "xyz", closed: true),
            "garbage-form" => Garbage(),
            "too-many-fields" => ManyFields(1_100),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var response = await client.PostAsync("/prediction", content);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(says, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    // A multipart body written by hand, as a broken client sends it: the header's boundary, the body's own, closed or not.
    private static ByteArrayContent RawForm(string declared, string used, bool closed)
    {
        var head = System.Text.Encoding.ASCII.GetBytes($"--{used}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.png\"\r\nContent-Type: image/png\r\n\r\n");
        var tail = System.Text.Encoding.ASCII.GetBytes(closed ? $"\r\n--{used}--\r\n" : "");
        var content = new ByteArrayContent([.. head, .. Uploads.DigitPng(0), .. tail]);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={declared}");
        return content;
    }

    // Random bytes under a multipart header, seeded.
    private static ByteArrayContent Garbage()
    {
        var bytes = new byte[4096];
        new Random(4).NextBytes(bytes);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=abc");
        return content;
    }

    // Many small text fields (about 50 KB in all), beside the file.
    private static MultipartFormDataContent ManyFields(int count)
    {
        var form = Uploads.Form(Uploads.DigitPng(0));
        for (var i = 0; i < count; i++) form.Add(new StringContent("x"), $"f{i}");
        return form;
    }

    [Fact]
    public async Task TheOpenApiDocumentDoesNotCopyTheHostHeaderAClientSent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "evil.example";

        var document = await (await client.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.DoesNotContain("evil.example", document);
        Assert.Contains("\"/prediction\"", document);
    }

    [Fact]
    public async Task WrongMethodIsAProblemToo()
    {
        var response = await client.GetAsync("/prediction");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ModelsListsTheLiveReplicaAndWhatItServes()
    {
        await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(0)));
        JsonElement view = default;
        await Poll.Until(async () => (view = await client.GetFromJsonAsync<JsonElement>("/models")).GetProperty("replicas").GetArrayLength() > 0,
            "the replica listed by GET /models");

        var replica = Assert.Single(view.GetProperty("replicas").EnumerateArray());
        var current = view.GetProperty("current").GetProperty("version").GetString();
        Assert.Equal(current, replica.GetProperty("modelVersion").GetString());
        Assert.Equal("mlp", view.GetProperty("current").GetProperty("architecture").GetString());
    }

    [Fact]
    public async Task HealthMetricsAndOpenApiAreServed()
    {
        await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(0)));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("mnist_predictor_batch_size", metrics);
        Assert.Contains("mnist_predictor_queue_wait", metrics);
        Assert.Contains("mnist_predictor_model_served", metrics);
        // The forward pass this prediction ran was timed on its thread's own clock.
        var forwardCpu = metrics.Split('\n').Single(line => line.StartsWith("mnist_predictor_forward_cpu_seconds_total", StringComparison.Ordinal));
        Assert.True(double.Parse(forwardCpu[(forwardCpu.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) > 0, forwardCpu);
        Assert.Contains("dotnet_jit_compilation_time_seconds_total", metrics);
        Assert.Contains("http_server_request_duration_seconds", metrics);
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/prediction", out _));
    }

    private static byte[] Encode(SixLabors.ImageSharp.Formats.IImageEncoder encoder, int side = 56)
    {
        using var image = new Image<Rgba32>(side, side, new Rgba32(255, 255, 255, 255));
        for (var y = side / 4; y < 3 * side / 4; y++) image[side / 2, y] = new Rgba32(0, 0, 0, 255);
        return DigitImages.Encode(image, encoder);
    }

    private static byte[] Blank()
    {
        using var image = new Image<Rgba32>(100, 100, new Rgba32(255, 255, 255, 255));
        return DigitImages.Encode(image, new PngEncoder());
    }
}
