namespace MnistEvents.BrowserTests.Support;

/// <summary>WCAG 2 contrast ratios of the page's text against what is behind it, computed in the page from its own styles.</summary>
public static class WcagContrast
{
    public const string Script = """
        const rgb = (css) => css.match(/[\d.]+/g).slice(0, 3).map(Number);
        const luminance = (css) => {
          const [r, g, b] = rgb(css).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const backgroundOf = (element) => {
          for (let e = element; e; e = e.parentElement) {
            const c = getComputedStyle(e).backgroundColor;
            if (!/rgba\(.*,\s*0\)$/.test(c) && c !== 'transparent') return c;
          }
          return 'rgb(255, 255, 255)';
        };
        const ratio = (element) => {
          const a = luminance(getComputedStyle(element).color), b = luminance(backgroundOf(element));
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        };
        const measure = () => {
          const out = {};
          for (const selector of ['h1', '.tagline', '.hint', '.panel h2', 'button:not(:disabled)', '.badge', '.meta', '.digit', '.bars .label',
                                  '.facts dt', '.facts dd', '.replicas td', 'label', 'input#token', 'button.secondary']) {
            const element = document.querySelector(selector);
            if (element) out[selector] = ratio(element);
          }
          return out;
        }
        """;
}
