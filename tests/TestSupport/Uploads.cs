using System.Net.Http.Headers;
using SixLabors.ImageSharp.Formats.Png;

namespace MnistEvents.TestSupport;

/// <summary>Request bodies as a browser or curl would send them.</summary>
public static class Uploads
{
    /// <summary>A real MNIST test digit drawn dark on white at 4×, as a PNG.</summary>
    public static byte[] DigitPng(int index)
    {
        using var image = DigitImages.Render(TestData.Test.Image(index), scale: 4, darkOnLight: true);
        return DigitImages.Encode(image, new PngEncoder());
    }

    public static MultipartFormDataContent Form(byte[] bytes, string field = "file", string contentType = "image/png")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, field, "upload.png" } };
    }

    /// <summary>A form of <paramref name="count"/> real digits as PNGs in field <c>files</c>, as the UI submits them to <c>POST /predictions</c>.</summary>
    public static MultipartFormDataContent Files(int count) => Files(Enumerable.Range(0, count).Select(DigitPng).ToList());

    /// <summary>A form of <paramref name="pngs"/> in field <c>files</c>, for a caller sending the same ones many times.</summary>
    public static MultipartFormDataContent Files(IReadOnlyList<byte[]> pngs)
    {
        var form = new MultipartFormDataContent();
        for (var i = 0; i < pngs.Count; i++) form.Add(new ByteArrayContent(pngs[i]) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "files", $"{i}.png");
        return form;
    }
}
