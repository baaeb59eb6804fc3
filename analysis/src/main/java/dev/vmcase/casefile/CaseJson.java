package dev.vmcase.casefile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson set-up for case JSON: plain data binding to records (no polymorphic typing, so no class names are
 * ever read from a file), bounded nesting, string and document sizes.
 */
final class CaseJson {
    static final int MAX_DEPTH = 64;
    static final int MAX_STRING = 4 << 20;

    private CaseJson() {
    }

    static ObjectMapper mapper(long maxDocumentBytes) {
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(MAX_STRING)
                        .maxNumberLength(40)
                        .maxDocumentLength(maxDocumentBytes)
                        .build())
                .build();
        return JsonMapper.builder(f)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }
}
