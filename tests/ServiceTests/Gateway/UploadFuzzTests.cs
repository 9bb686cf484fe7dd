using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;
using Xunit.Abstractions;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// Seeded mutations of real digit files in every supported format, and each kind of bomb, through <c>POST /prediction</c>
/// of the embedded default with its real model: every answer is a 200 or a 4xx problem+json that says what was wrong,
/// never a 5xx, and the gateway still classifies a clean digit afterwards.
/// </summary>
public class UploadFuzzTests(AllInOneFactory factory, ITestOutputHelper output) : IClassFixture<AllInOneFactory>
{
    private const int FilesPerFormat = 120;

    [Theory]
    [InlineData("png", 21)]
    [InlineData("jpeg", 22)]
    [InlineData("gif", 23)]
    [InlineData("bmp", 24)]
    [InlineData("webp", 25)]
    public async Task MutatedUploadsAreAnsweredOrRefusedInWordsNever5xx(string format, int seed)
    {
        var client = factory.CreateClient();
        var mutator = new ImageMutator(ImageMutator.MnistSeeds(format), seed);
        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < FilesPerFormat; i++)
        {
            var file = mutator.Next();
            var response = await client.PostAsync("/prediction", Body(file, $"image/{format}"));

            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            if (response.StatusCode == HttpStatusCode.OK) continue;
            var kept = Path.Combine(Path.GetTempPath(), $"hostile-http-{format}-{seed}-{i}.bin");
            if ((int)response.StatusCode >= 500) File.WriteAllBytes(kept, file);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"file {i}: {(int)response.StatusCode}; kept as {kept}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), $"file {i}: a refusal without words");
        }

        output.WriteLine($"{format}: {FilesPerFormat} uploads: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key} × {s.Value}")));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(0)))).StatusCode);
    }

    [Theory]
    [InlineData("/prediction", 31)]
    [InlineData("/predictions", 32)]
    public async Task MutatedMultipartFramingIsAnsweredOrRefusedInWordsNever5xx(string route, int seed)
    {
        // A well-formed form (two files, a text field), then seeded damage to its framing: bytes flipped in the boundary
        // lines and part headers, lines dropped or repeated, the body cut anywhere, another boundary in the header.
        var client = factory.CreateClient();
        var random = new Random(seed);
        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < FilesPerFormat; i++)
        {
            var (body, boundary) = MutatedForm(route == "/predictions" ? "files" : "file", random);
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
            var response = await client.PostAsync(route, content);

            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            if ((int)response.StatusCode is >= 200 and < 300) continue;
            var kept = Path.Combine(Path.GetTempPath(), $"hostile-form-{seed}-{i}.bin");
            if ((int)response.StatusCode >= 500) File.WriteAllBytes(kept, body);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"form {i}: {(int)response.StatusCode}; kept as {kept}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        output.WriteLine($"{route}: {FilesPerFormat} forms: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key} × {s.Value}")));
        // The damage reached the form reader (most forms are refused), and a clean form is still read afterwards.
        Assert.True(statuses.Where(s => (int)s.Key >= 400).Sum(s => s.Value) >= FilesPerFormat / 2, "most damaged forms are refused");
        Assert.True(((int)(await client.PostAsync(route, Uploads.Form(Uploads.DigitPng(0), field: route == "/predictions" ? "files" : "file"))).StatusCode) is 200 or 202);
    }

    private static (byte[] Body, string Boundary) MutatedForm(string field, Random random)
    {
        const string boundary = "fuzz0boundary";
        var lines = new List<byte[]>();
        void Line(string text) => lines.Add(System.Text.Encoding.ASCII.GetBytes(text + "\r\n"));
        foreach (var index in new[] { 0, 1 })
        {
            Line($"--{boundary}");
            Line($"Content-Disposition: form-data; name=\"{field}\"; filename=\"{index}.png\"");
            Line("Content-Type: image/png");
            Line("");
            lines.Add([.. Uploads.DigitPng(index), .. "\r\n"u8.ToArray()]);
        }
        Line($"--{boundary}");
        Line("Content-Disposition: form-data; name=\"note\"");
        Line("");
        Line("seven");
        Line($"--{boundary}--");

        var declared = boundary;
        var damage = random.Next(5);
        switch (damage)
        {
            case 0: // bytes flipped in the framing (not in the images, which the other fuzz test mutates)
                foreach (var line in lines.Where(l => l.Length < 200).OrderBy(_ => random.Next()).Take(3))
                    line[random.Next(line.Length)] = (byte)random.Next(256);
                break;
            case 1:
                lines.RemoveAt(random.Next(lines.Count));
                break;
            case 2:
                lines.Insert(random.Next(lines.Count), lines[random.Next(lines.Count)]);
                break;
            case 3:
                declared = random.Next(2) == 0 ? "other" : boundary[..random.Next(1, boundary.Length)];
                break;
        }
        var body = lines.SelectMany(l => l).ToArray();
        // Cut anywhere: the only damage of case 4, and more damage for one form in five of the others.
        if (damage == 4 || random.Next(5) == 0) body = body[..random.Next(body.Length)];
        return (body, declared);
    }

    [Theory]
    [InlineData("ztxt", HttpStatusCode.OK, null)]
    [InlineData("interlaced-rows-end-early", HttpStatusCode.BadRequest, "The PNG file is damaged: its image data is not valid zlib")]
    [InlineData("bmp-colour-table", HttpStatusCode.BadRequest, "past the end of the file")]
    [InlineData("pixels", HttpStatusCode.UnprocessableEntity, "20000×20000")]
    public async Task BombsAreReadSafelyOrRefusedInWords(string kind, HttpStatusCode status, string? says)
    {
        var digit = Uploads.DigitPng(0);
        var bomb = kind switch
        {
            "ztxt" => ImageBombs.PngCompressedText(digit, 128), // 128 MB of text in ~130 KB, under this gateway's 200 KB limit
            "interlaced-rows-end-early" => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hostile-png-interlaced-rows-end-early.bin")),
            "bmp-colour-table" => ImageBombs.BmpLyingColourTable(DigitImages.Encode(DigitImages.Render(TestData.Test.Image(0), scale: 2),
                new SixLabors.ImageSharp.Formats.Bmp.BmpEncoder { BitsPerPixel = SixLabors.ImageSharp.Formats.Bmp.BmpBitsPerPixel.Pixel8 })),
            _ => ImageBombs.PngPixels(20_000, 20_000),
        };

        var response = await factory.CreateClient().PostAsync("/prediction", Uploads.Form(bomb));

        Assert.Equal(status, response.StatusCode);
        if (says is not null) Assert.Contains(says, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    private static ByteArrayContent Body(byte[] file, string contentType)
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }
}
