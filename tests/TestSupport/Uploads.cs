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
}
