package io.lstmforecast.testing;

import io.lstmforecast.model.bundle.ModelBundle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model-side twin of {@link HostileInputs}: bundles laid out on disk inside a job's model root whose files lead
 * out of it (symbolic links out, up, in a loop, and zip entries stored as links), one line each. Each must be
 * rejected with its reason and leave the serving model in place. A new kind found later is one more line here.
 */
public final class HostileBundles {
    private HostileBundles() {}

    /** A bundle laid out under a model root: its location for a control message and a phrase its rejection holds. */
    public record BadBundle(String what, String location, String because) {}

    /** Lays out one hostile bundle in the directory {@link Layouts#next} made. */
    @FunctionalInterface
    private interface Layout {
        Path lay(Layouts l) throws IOException;
    }

    /**
     * Lays out every hostile bundle of version 7 of {@code serving}'s model under {@code root} (in a directory of
     * its own each); {@code outside} must be a directory outside the root, where the link targets are put.
     */
    public static List<BadBundle> layOut(Path root, Path outside, ModelBundle serving) throws IOException {
        Layouts l = new Layouts(root, outside, serving);
        List<BadBundle> out = new ArrayList<>();
        bad(
                out,
                l,
                "weights.npz a link to a file outside the root",
                x -> x.linked("weights.npz", x.outsideFile("weights.npz", x.npz())),
                "is outside the model root");
        bad(
                out,
                l,
                "model.json a link to a file outside the root",
                x -> x.linked("model.json", x.outsideFile("model.json", x.spec())),
                "is outside the model root");
        bad(
                out,
                l,
                "weights.pt (model.json names it) a link outside the root",
                x -> x.linkedPt(x.outsideFile("w.pt", x.npz())),
                "is outside the model root");
        bad(
                out,
                l,
                "the bundle reached through a link to the directory above the root",
                x -> x.up(),
                "is outside the model root");
        bad(
                out,
                l,
                "weights.npz a relative link up and out (../../)",
                x -> x.linkedRelative("weights.npz", x.outsideFile("weights.npz", x.npz())),
                "is outside the model root");
        bad(
                out,
                l,
                "weights.npz a link to a directory inside the root",
                x -> x.linked("weights.npz", Path.of("..")),
                "not a regular file");
        bad(
                out,
                l,
                "weights.npz a link to itself",
                x -> x.linked("weights.npz", Path.of("weights.npz")),
                "a symbolic link to weights.npz");
        bad(
                out,
                l,
                "a zip bundle in the root that is a link to one outside",
                x -> x.zipLinkOut(),
                "is outside the model root");
        bad(
                out,
                l,
                "a zip bundle whose weights.npz entry is a symbolic link",
                x -> x.zipFile(
                        HostileInputs.zip(Map.of("model.json", x.spec(), "weights.npz", x.linkText())), "weights.npz"),
                "stored as a symbolic link");
        bad(
                out,
                l,
                "an npz whose array entry is a symbolic link",
                x -> x.zipFile(
                        HostileInputs.zip(Map.of("model.json", x.spec(), "weights.npz", asLink(x.npz(), x.firstNpy()))),
                        null),
                "stored as a symbolic link");
        return out;
    }

    private static void bad(List<BadBundle> out, Layouts l, String what, Layout layout, String because)
            throws IOException {
        l.next();
        out.add(new BadBundle(what, layout.lay(l).toString(), because));
    }

    /**
     * {@code zip} with the entry {@code name} marked in its directory as a symbolic link made on Unix (as {@code zip
     * -y} stores one: mode 0120777 in the high half of the external attributes).
     */
    public static byte[] asLink(byte[] zip, String name) {
        byte[] out = zip.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 46 <= out.length; at++) {
            if (b.getInt(at) != 0x02014b50) {
                continue;
            }
            int nameLength = Short.toUnsignedInt(b.getShort(at + 28));
            if (new String(out, at + 46, nameLength, StandardCharsets.UTF_8).equals(name)) {
                b.putShort(at + 4, (short) (3 << 8 | 20));
                b.putInt(at + 38, 0120777 << 16);
                return out;
            }
        }
        throw new IllegalArgumentException("no entry " + name);
    }

    /** Builds one bundle directory after another under the root, each written as the serving model's version 7. */
    private static final class Layouts {
        private final Path root;
        private final Path outside;
        private final ModelBundle serving;
        private Path dir;
        private int n;

        Layouts(Path root, Path outside, ModelBundle serving) {
            this.root = root.toAbsolutePath();
            this.outside = outside.toAbsolutePath();
            this.serving = serving;
        }

        void next() throws IOException {
            n++;
            dir = Files.createDirectories(root.resolve("hostile-" + n));
        }

        byte[] spec() {
            return HostileInputs.spec(serving, s -> {});
        }

        byte[] npz() {
            return HostileInputs.npz(serving);
        }

        byte[] linkText() {
            return "../../../etc/passwd".getBytes(StandardCharsets.UTF_8);
        }

        String firstNpy() {
            return HostileInputs.unzip(npz()).keySet().iterator().next();
        }

        Path outsideDir() throws IOException {
            return Files.createDirectories(outside.resolve("target-" + n));
        }

        Path outsideFile(String name, byte[] content) throws IOException {
            return Files.write(outsideDir().resolve(name), content);
        }

        /** The bundle directory with {@code name} a link to {@code target} and the other file real. */
        Path linked(String name, Path target) throws IOException {
            Files.write(dir.resolve("model.json"), spec());
            Files.write(dir.resolve("weights.npz"), npz());
            Files.delete(dir.resolve(name));
            Files.createSymbolicLink(dir.resolve(name), target);
            return dir;
        }

        /** As {@link #linked}, the link's text relative to the bundle directory (../../outside/...). */
        Path linkedRelative(String name, Path target) throws IOException {
            return linked(name, dir.relativize(target));
        }

        Path linkedPt(Path target) throws IOException {
            Files.write(dir.resolve("model.json"), HostileInputs.spec(serving, s -> s.put("weights", "model.pt")));
            Files.createSymbolicLink(dir.resolve("model.pt"), target);
            return dir;
        }

        /** root/up links to "..": a good bundle outside the root, reached as root/up/outside/... */
        Path up() throws IOException {
            Path target = outsideDir();
            Files.write(target.resolve("model.json"), spec());
            Files.write(target.resolve("weights.npz"), npz());
            Files.createSymbolicLink(dir.resolve("up"), Path.of("../.."));
            return dir.resolve("up").resolve(root.getParent().relativize(target));
        }

        Path zipLinkOut() throws IOException {
            Path target =
                    outsideFile("bundle.zip", HostileInputs.zip(Map.of("model.json", spec(), "weights.npz", npz())));
            return Files.createSymbolicLink(dir.resolve("bundle.zip"), target);
        }

        /** A zip bundle file in the root, with {@code link} (when not null) marked as a symbolic link. */
        Path zipFile(byte[] zip, String link) throws IOException {
            return Files.write(dir.resolve("bundle.zip"), link == null ? zip : asLink(zip, link));
        }
    }
}
