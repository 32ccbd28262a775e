package io.lstmforecast.model.formats;

import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.ReadLimits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip archive held in memory, read through its central directory. PyTorch writes its files as
 * stored entries followed by data descriptors, which {@link java.util.zip.ZipInputStream} refuses to read, and
 * {@link java.util.zip.ZipFile} needs a file on disk; the archive here may be an entry of a bundle or a message.
 *
 * <p>Every size is checked before anything is allocated for it: the number of entries against
 * {@link ReadLimits#maxEntries()}, the sum of the uncompressed sizes the directory declares against
 * {@link ReadLimits#maxBytes()}, every offset against the archive's length; a deflated entry is inflated into an
 * array of its declared size and must fill it exactly. Stored entries are returned as views of the archive.
 *
 * <p>An entry the directory marks as a symbolic link (Unix mode S_IFLNK in its external attributes, as {@code zip -y}
 * stores one) is refused by {@link #refuseLinks}: its content is a path, and a bundle's files must be files.
 */
public final class ZipEntries {
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_DIRECTORY = 0x06054b50;
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;

    private ZipEntries() {}

    /** Entry name to content (little-endian views, position 0), in the directory's order. */
    static Map<String, ByteBuffer> read(byte[] zip, String source, ReadLimits limits) {
        ByteBuffer buf = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = endOfDirectory(buf, source);
        int count = Short.toUnsignedInt(buf.getShort(end + 10));
        long directorySize = Integer.toUnsignedLong(buf.getInt(end + 12));
        long directoryOffset = Integer.toUnsignedLong(buf.getInt(end + 16));
        if (count == 0xffff || directoryOffset == 0xffffffffL) {
            throw new ModelFormatException(source
                    + " is a zip64 archive (over 4 GB or 65535 entries), larger than a model" + " file can be here");
        }
        if (count > limits.maxEntries()) {
            throw new ModelFormatException(
                    source + " has " + count + " entries, more than the limit of " + limits.maxEntries());
        }
        if (directoryOffset + directorySize > end) {
            throw new ModelFormatException(source + " has a zip directory that points past its end (truncated?)");
        }
        Map<String, ByteBuffer> entries = new LinkedHashMap<>();
        long budget = limits.maxBytes();
        int at = (int) directoryOffset;
        for (int i = 0; i < count; i++) {
            require(
                    at + 46 <= end && buf.getInt(at) == CENTRAL_HEADER,
                    source,
                    "has a damaged zip directory entry " + i);
            int method = Short.toUnsignedInt(buf.getShort(at + 10));
            int crc = buf.getInt(at + 16);
            long compressed = Integer.toUnsignedLong(buf.getInt(at + 20));
            long size = Integer.toUnsignedLong(buf.getInt(at + 24));
            int nameLength = Short.toUnsignedInt(buf.getShort(at + 28));
            int skip = Short.toUnsignedInt(buf.getShort(at + 30)) + Short.toUnsignedInt(buf.getShort(at + 32));
            long local = Integer.toUnsignedLong(buf.getInt(at + 42));
            require(at + 46L + nameLength + skip <= end, source, "has a damaged zip directory entry " + i);
            String name = new String(zip, at + 46, nameLength, StandardCharsets.UTF_8);
            at += 46 + nameLength + skip;
            budget -= size;
            if (budget < 0) {
                throw new ModelFormatException(source + " holds more than the limit of " + limits.maxBytes()
                        + " bytes uncompressed (job setting max-model-bytes)");
            }
            ByteBuffer content =
                    content(buf, zip, local, method, compressed, size, directoryOffset, source + ":" + name);
            CRC32 check = new CRC32();
            check.update(content.duplicate());
            if ((int) check.getValue() != crc) {
                throw new ModelFormatException(
                        source + ":" + name + " does not match its checksum; the file is damaged");
            }
            if (entries.put(name, content) != null) {
                throw new ModelFormatException(source + " holds the entry '" + name + "' twice");
            }
        }
        return entries;
    }

    /**
     * Refuses an archive with an entry stored as a symbolic link, naming it. An archive without a readable directory
     * is refused too: the directory is the only place a link is marked, so without it no entry can be cleared.
     */
    public static void refuseLinks(byte[] zip, String source) {
        ByteBuffer buf = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = endOfDirectory(buf, source);
        int count = Short.toUnsignedInt(buf.getShort(end + 10));
        long at = Integer.toUnsignedLong(buf.getInt(end + 16));
        for (int i = 0; i < count; i++) {
            require(
                    at + 46 <= end && buf.getInt((int) at) == CENTRAL_HEADER,
                    source,
                    "has a damaged zip directory entry " + i);
            int nameLength = Short.toUnsignedInt(buf.getShort((int) at + 28));
            int skip =
                    Short.toUnsignedInt(buf.getShort((int) at + 30)) + Short.toUnsignedInt(buf.getShort((int) at + 32));
            require(at + 46L + nameLength + skip <= end, source, "has a damaged zip directory entry " + i);
            // Made by Unix (3 in the high byte of "version made by"): the high 16 bits of the attributes are st_mode.
            int madeBy = Short.toUnsignedInt(buf.getShort((int) at + 4)) >>> 8;
            int mode = buf.getInt((int) at + 38) >>> 16;
            if (madeBy == 3 && (mode & S_IFMT) == S_IFLNK) {
                throw new ModelFormatException(source + " holds the entry '"
                        + new String(zip, (int) at + 46, nameLength, StandardCharsets.UTF_8)
                        + "' stored as a symbolic link; a bundle's files must be regular files (zip without -y)");
            }
            at += 46L + nameLength + skip;
        }
    }

    /** Whether {@code bytes} start like a zip archive (a local file header). */
    static boolean isZip(byte[] bytes) {
        return bytes.length >= 4
                && ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == LOCAL_HEADER;
    }

    /** The name of the archive's first entry, from its local header, or "" when the header is incomplete. */
    static String firstEntryName(byte[] bytes) {
        if (bytes.length < 30) {
            return "";
        }
        int length = Short.toUnsignedInt(
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(26));
        return bytes.length < 30 + length ? "" : new String(bytes, 30, length, StandardCharsets.UTF_8);
    }

    private static int endOfDirectory(ByteBuffer buf, String source) {
        // The record is 22 bytes plus a comment of at most 65535; search backwards from the end.
        for (int at = buf.capacity() - 22; at >= Math.max(0, buf.capacity() - 22 - 65535); at--) {
            if (buf.getInt(at) == END_OF_DIRECTORY) {
                return at;
            }
        }
        throw new ModelFormatException(
                source + " is not a complete zip archive: its end (the zip directory) is missing;"
                        + " is the file truncated?");
    }

    private static ByteBuffer content(
            ByteBuffer buf, byte[] zip, long local, int method, long compressed, long size, long limit, String where) {
        require(
                local + 30 <= limit && buf.getInt((int) local) == LOCAL_HEADER,
                where,
                "has no local header where the zip" + " directory says");
        long start = local
                + 30
                + Short.toUnsignedInt(buf.getShort((int) local + 26))
                + Short.toUnsignedInt(buf.getShort((int) local + 28));
        require(start + compressed <= limit, where, "runs past the end of its data (truncated?)");
        if (method == 0) {
            require(compressed == size, where, "is stored with compressed size " + compressed + " but size " + size);
            return ByteBuffer.wrap(zip, (int) start, (int) size).slice().order(ByteOrder.LITTLE_ENDIAN);
        }
        require(
                method == 8,
                where,
                "uses zip compression method " + method + "; only stored and deflated entries are read");
        byte[] out = new byte[(int) size];
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(zip, (int) start, (int) compressed);
            int n = 0;
            while (n < out.length && !inflater.finished() && !inflater.needsInput() && !inflater.needsDictionary()) {
                n += inflater.inflate(out, n, out.length - n);
            }
            require(
                    n == out.length && (inflater.finished() || inflater.inflate(new byte[1]) == 0),
                    where,
                    "does not inflate to the " + size + " bytes its zip directory declares");
        } catch (DataFormatException e) {
            throw new ModelFormatException(where + " is not valid deflate data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void require(boolean ok, String where, String problem) {
        if (!ok) {
            throw new ModelFormatException(where + " " + problem);
        }
    }
}
