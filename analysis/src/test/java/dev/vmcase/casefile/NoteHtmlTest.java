package dev.vmcase.casefile;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NoteHtmlTest {
    @Test
    void rendersTheSubsetAndNothingElse() {
        assertEquals("<p><strong>Root cause</strong>: <code>drive_del</code> before <em>DEVICE_DELETED</em></p>",
                NoteHtml.render("**Root cause**: `drive_del` before *DEVICE_DELETED*"));
        assertEquals("<p>a<br>b</p><ul><li>one</li><li>two</li></ul><p>c</p>", NoteHtml.render("a\nb\n- one\n- two\n\nc"));
        assertEquals("<p>&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1)) <code>&lt;img src=x&gt;</code></p>",
                NoteHtml.render("<script>alert(1)</script> [x](javascript:alert(1)) `<img src=x>`"));
        assertEquals("<p>␛[31mred</p>", NoteHtml.render("\u001b[31mred"));
        assertEquals("<p>a `b</p>", NoteHtml.render("a `b"));
    }
}
