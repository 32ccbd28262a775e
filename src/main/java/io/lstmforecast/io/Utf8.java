package io.lstmforecast.io;

/** Strict UTF-8 checks for record values, in one pass over the bytes and without decoding them. */
final class Utf8 {
    private Utf8() {}

    /**
     * True when {@code bytes} are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
     * U+10FFFF) with no NUL byte. UTF-16 and UTF-32 text of a JSON object always holds a NUL byte, so it fails too.
     */
    static boolean isValid(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            if (b >= 0x01 && b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min;
            if (b >= 0xc2 && b <= 0xdf) {
                length = 2;
                min = 0x80;
            } else if (b >= 0xe0 && b <= 0xef) {
                length = 3;
                min = 0x800;
            } else if (b >= 0xf0 && b <= 0xf4) {
                length = 4;
                min = 0x10000;
            } else {
                return false; // NUL, a continuation byte without a lead, or a lead byte UTF-8 never uses
            }
            if (i + length > bytes.length) {
                return false;
            }
            int cp = b & (0x7f >> length);
            for (int k = 1; k < length; k++) {
                int c = bytes[i + k] & 0xff;
                if ((c & 0xc0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (c & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return false;
            }
            i += length;
        }
        return true;
    }
}
