package dev.vmcase.casefile;

import java.io.IOException;
import java.io.Writer;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One self-contained HTML file: no scripts, no external resources (a Content-Security-Policy of
 * {@code default-src 'none'} with only inline styles and data: images), every piece of text escaped.
 */
final class HtmlSink implements CaseReport.Sink {
    static final String CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";
    private static final String STYLE = """
            body{font-family:system-ui,"Noto Sans CJK SC","Noto Sans",sans-serif;margin:2em auto;max-width:70em;
            color:#1f2328;background:#fff;line-height:1.45}
            h1{font-size:1.6em}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:1.6em}
            pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.6em;overflow:auto;white-space:pre-wrap;
            word-break:break-all;font-family:ui-monospace,"Noto Sans Mono CJK SC",monospace;font-size:.85em}
            table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
            td,th{border:1px solid #d0d7de;padding:.25em .5em;text-align:left;vertical-align:top}
            th{background:#f6f8fa}
            blockquote{border-left:4px solid #0969da;margin:.6em 0;padding:.3em .8em;background:#ddf4ff}
            blockquote .meta{font-size:.8em;color:#57606a}blockquote p{margin:.3em 0}code{font-family:ui-monospace,monospace}
            img{max-width:100%;border:1px solid #d0d7de}
            @media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}
            pre,th{background:#161b22}td,th,pre,img{border-color:#30363d}blockquote{background:#121d2f}}
            """;
    private final Writer out;
    private final Locale locale;
    private boolean started;

    HtmlSink(Writer out, Locale locale) {
        this.out = out;
        this.locale = locale;
    }

    private static String e(String s) {
        return SafeText.html(s);
    }

    @Override
    public void title(String text) throws IOException {
        if (!started) {
            started = true;
            out.write("<!DOCTYPE html>\n<html lang=\"" + e(locale.toLanguageTag()) + "\">\n<head>\n"
                    + "<meta charset=\"utf-8\">\n"
                    + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + CSP + "\">\n"
                    + "<meta name=\"referrer\" content=\"no-referrer\">\n"
                    + "<title>" + e(text) + "</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n");
        }
        out.write("<h1>" + e(text) + "</h1>\n");
    }

    @Override
    public void heading(String text) throws IOException {
        out.write("<h2>" + e(text) + "</h2>\n");
    }

    @Override
    public void subheading(String text) throws IOException {
        out.write("<h3>" + e(text) + "</h3>\n");
    }

    @Override
    public void paragraph(String text) throws IOException {
        out.write("<p>" + e(text).replace("\n", "<br>") + "</p>\n");
    }

    @Override
    public void evidence(List<String> lines) throws IOException {
        out.write("<pre>" + e(String.join("\n", lines)) + "</pre>\n");
    }

    @Override
    public void table(List<String> header, List<List<String>> rows) throws IOException {
        out.write("<table>\n<tr>");
        for (String h : header) {
            out.write("<th>" + e(h) + "</th>");
        }
        out.write("</tr>\n");
        for (List<String> row : rows) {
            out.write("<tr>");
            for (String cell : row) {
                out.write("<td>" + e(cell) + "</td>");
            }
            out.write("</tr>\n");
        }
        out.write("</table>\n");
    }

    @Override
    public void note(String meta, String markdown) throws IOException {
        out.write("<blockquote>" + (meta.isEmpty() ? "" : "<div class=\"meta\">" + e(meta) + "</div>")
                + "<div class=\"text\">" + NoteHtml.render(markdown) + "</div></blockquote>\n");
    }

    @Override
    public void image(String alt, byte[] png, String fileStem) throws IOException {
        if (png.length < 8 || (png[0] & 0xff) != 0x89 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G') {
            return; // only PNG bytes become an image
        }
        out.write("<figure><img alt=\"" + e(alt) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\"><figcaption>" + e(alt) + "</figcaption></figure>\n");
    }

    @Override
    public void end() throws IOException {
        out.write("</body>\n</html>\n");
        out.flush();
    }
}
