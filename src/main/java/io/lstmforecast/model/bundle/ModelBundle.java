package io.lstmforecast.model.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.ForecastModels;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.Npz;
import io.lstmforecast.model.RecurrentNetwork;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A model bundle: {@code model.json} and {@code weights.npz} (PyTorch state_dict names), as a
 * directory or the same two files in a .zip. Loading checks the spec and every tensor before any
 * native memory is allocated, so a bad bundle fails with one sentence and never half-loads.
 */
public record ModelBundle(ModelSpec spec, Map<String, NpyArray> weights) {
    public static final String SPEC_FILE = "model.json";
    public static final String WEIGHTS_FILE = "weights.npz";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads and checks a bundle directory or .zip. */
    public static ModelBundle read(Path path) {
        if (Files.isDirectory(path)) {
            Path specFile = path.resolve(SPEC_FILE);
            if (!Files.isRegularFile(specFile)) {
                throw new ModelFormatException("bundle " + path + " has no " + SPEC_FILE);
            }
            try {
                return of(Files.readAllBytes(specFile), Npz.read(path.resolve(WEIGHTS_FILE)), path.toString());
            } catch (IOException e) {
                throw new ModelFormatException("bundle " + path + " cannot be read: " + e.getMessage(), e);
            }
        }
        if (!Files.isRegularFile(path)) {
            throw new ModelFormatException("bundle " + path + " does not exist (expected a directory or a .zip)");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return fromZip(in.readAllBytes(), path.toString());
        } catch (IOException e) {
            throw new ModelFormatException("bundle " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads and checks a zipped bundle held in memory (e.g. sent inline on the control topic). */
    public static ModelBundle fromZip(byte[] zipBytes, String source) {
        byte[] spec = null;
        byte[] weights = null;
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(zipBytes))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = Path.of(e.getName()).getFileName().toString();
                if (name.equals(SPEC_FILE)) {
                    spec = zip.readAllBytes();
                } else if (name.equals(WEIGHTS_FILE)) {
                    weights = zip.readAllBytes();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFormatException("bundle " + source + " is not a readable .zip: " + e.getMessage(), e);
        }
        if (spec == null || weights == null) {
            throw new ModelFormatException("bundle " + source + " must contain " + SPEC_FILE + " and " + WEIGHTS_FILE);
        }
        return of(spec, Npz.read(weights, source + ":" + WEIGHTS_FILE), source);
    }

    private static ModelBundle of(byte[] specJson, Map<String, NpyArray> weights, String source) {
        ModelSpec spec;
        try {
            spec = JSON.readValue(specJson, ModelSpec.class);
        } catch (IOException e) {
            throw new ModelFormatException(source + "/" + SPEC_FILE + " is not a valid model spec: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        ModelBundle bundle = new ModelBundle(spec, weights);
        SpecValidator.validate(spec, source);
        bundle.check();
        return bundle;
    }

    /** Checks every tensor against the spec without allocating the network. */
    void check() {
        ForecastModels.checkTensors(spec, weights);
    }

    /** Builds the runnable model; call once per operator instance (it owns scratch buffers). */
    public ForecastModel model() {
        return ForecastModels.build(spec, weights);
    }

    /** The recurrent layers alone, as the {@code sequence} command runs them. */
    public RecurrentNetwork network() {
        return model().network();
    }

    public CellKind cellKind() {
        return CellKind.parse(spec.cell());
    }

    /** Writes the bundle as a directory. */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(SPEC_FILE).toFile(), spec);
        Npz.write(dir.resolve(WEIGHTS_FILE), weights);
    }

    /** The bundle as zip bytes (model.json + weights.npz). */
    public byte[] toZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(SPEC_FILE));
            zip.write(JSON.writeValueAsBytes(spec));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(WEIGHTS_FILE));
            ByteArrayOutputStream npz = new ByteArrayOutputStream();
            Npz.write(npz, weights);
            zip.write(npz.toByteArray());
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

}
