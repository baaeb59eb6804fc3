package dev.vmcase.casefile;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A note in a Markdown report cannot fetch an image or carry a script link (issue 19, item 12): each hostile note is
 * quoted as {@link MarkdownSink#note} writes it and rendered by commonmark-java with no sanitising of its own (as
 * several ticket systems render), and the HTML must hold no image, no {@code javascript:}/{@code data:}/{@code
 * vbscript:}/{@code file:} link and no raw HTML, while an https link in a note stays a link.
 */
class MarkdownNoteSafetyTest {
    static final List<String> HOSTILE = List.of(
            "![tracker](http://evil.example/p.png)",
            "![tracker][img]\n\n[img]: http://evil.example/p.png",
            "see ![t] here\n\n[t]: http://evil.example/t.png \"title\"",
            "[click](javascript:alert(1))",
            "[click]( JavaScript:alert(document.cookie))",
            "[click](\njavascript:alert(1))",
            "[click](java\tscript:alert(1))",
            "[click](<javascript:alert(1)>)",
            "[click][j]\n\n[j]: javascript:alert(1)",
            "[click][j]\n\n[j]:\n  javascript:alert(1)",
            "[j]\n\n   [j]: vbscript:msgbox(1)",
            "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[f](file:///etc/passwd)",
            "<javascript:alert(1)>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](jav&#97;script:alert(1))",
            "[x](javascript&colon;alert(1))",
            "\\\\![t](http://evil.example/p.png)",
            "!![t](http://evil.example/p.png)",
            "[a [nested] b](javascript:alert(1))");

    static String render(String note) throws Exception {
        java.io.StringWriter md = new java.io.StringWriter();
        new MarkdownSink(md, null).note("alice, 2026-01-01", note);
        return HtmlRenderer.builder().build().render(Parser.builder().build().parse(md.toString()));
    }

    @Test
    void hostileNotesRenderWithoutImagesScriptLinksOrHtml() throws Exception {
        for (String note : HOSTILE) {
            String html = render(note).toLowerCase(java.util.Locale.ROOT);
            String why = note + "\n=> " + html;
            assertFalse(html.contains("<img"), why);
            java.util.regex.Matcher href = java.util.regex.Pattern.compile("href=\"([^\"]*)\"").matcher(html);
            while (href.find()) {
                // as a browser reads it: the attribute's entities decoded once, then tabs, line ends and controls
                // dropped before the scheme
                String url = href.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                        .replace("&amp;", "&").replaceAll("[\\x00-\\x20]", "");
                assertTrue(url.matches("(?i)(https?|mailto):.*") || !url.matches("(?i)[a-z][a-z0-9+.-]*:.*"),
                        "a link with the scheme of " + url + ": " + why);
            }
            assertFalse(html.replace("<blockquote>", "").replace("</blockquote>", "").replace("<p>", "").replace("</p>", "")
                    .replace("<strong>", "").replace("</strong>", "").replace("<br />", "").replace("<a href=\"", "")
                    .replace("</a>", "").replace("<em>", "").replace("</em>", "").contains("<"), "raw HTML: " + why);
        }
    }

    @Test
    void anHttpsLinkInANoteStaysALink() throws Exception {
        String html = render("the upstream fix: [LP#1894804](https://bugs.launchpad.net/bugs/1894804) and "
                + "[mail](mailto:ops@example.org)");
        assertTrue(html.contains("<a href=\"https://bugs.launchpad.net/bugs/1894804\">LP#1894804</a>"), html);
        assertTrue(html.contains("<a href=\"mailto:ops@example.org\">mail</a>"), html);
    }
}
