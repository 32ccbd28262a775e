package io.lstmforecast.model.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.ForecastModels;
import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.Npz;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.model.RecurrentNetwork;
import io.lstmforecast.model.formats.WeightsFormat;
import io.lstmforecast.model.formats.ZipEntries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A model bundle: {@code model.json} and a weights file ({@code weights.npz}, or the file its {@code weights} field
 * names: a torch.save state_dict or an ONNX export; PyTorch state_dict names), as a directory or the same two files
 * in a .zip. Loading checks the spec and every tensor before any
 * native memory is allocated, so a bad bundle fails with one sentence and never half-loads.
 */
public record ModelBundle(ModelSpec spec, Map<String, NpyArray> weights) {
    public static final String SPEC_FILE = "model.json";
    public static final String WEIGHTS_FILE = "weights.npz";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Reads and checks a bundle directory or .zip. */
    public static ModelBundle read(Path path) {
        return read(path, ReadLimits.DEFAULT);
    }

    /** Reads and checks a bundle directory or .zip, reading no more than {@code limits} allow. */
    public static ModelBundle read(Path path, ReadLimits limits) {
        return read(path, limits, null);
    }

    /**
     * Reads and checks a bundle directory or .zip; with a {@code root}, every file it reads must lie inside it once
     * links are resolved (see {@link ModelRoot}).
     */
    static ModelBundle read(Path path, ReadLimits limits, ModelRoot root) {
        try {
            if (Files.isDirectory(path)) {
                Path specFile = path.resolve(SPEC_FILE);
                if (!Files.exists(specFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new ModelFormatException("bundle " + path + " has no " + SPEC_FILE);
                }
                ModelSpec spec = parseSpec(readFile(specFile, limits, root), path.toString());
                Path weights = path.resolve(spec.weightsFile());
                return of(
                        spec,
                        WeightsFormat.read(readFile(weights, limits, root), weights.toString(), limits),
                        path.toString());
            }
            if (!Files.isRegularFile(path)) {
                throw new ModelFormatException("bundle " + path + " does not exist (expected a directory or a .zip)");
            }
            return fromZip(readFile(path, limits, root), path.toString(), limits);
        } catch (IOException e) {
            throw new ModelFormatException("bundle " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] readFile(Path file, ReadLimits limits, ModelRoot root) throws IOException {
        return root == null ? limits.readModelFile(file) : root.readFile(file, limits);
    }

    /** Reads and checks a zipped bundle held in memory (e.g. sent inline on the control topic). */
    public static ModelBundle fromZip(byte[] zipBytes, String source) {
        return fromZip(zipBytes, source, ReadLimits.DEFAULT);
    }

    public static ModelBundle fromZip(byte[] zipBytes, String source, ReadLimits limits) {
        ZipEntries.refuseLinks(zipBytes, "bundle " + source);
        // Every file is kept (within the limits) until model.json, which may come last, names the weights file.
        Map<String, byte[]> files = new java.util.HashMap<>();
        java.util.Set<String> duplicates = new java.util.HashSet<>();
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(zipBytes))) {
            ZipEntry e;
            long budget = limits.maxBytes();
            int entries = 0;
            while ((e = zip.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new ModelFormatException(
                            "bundle " + source + " has more than " + limits.maxEntries() + " entries");
                }
                if (e.isDirectory()) {
                    continue;
                }
                // The file name after the last '/': bundles are zipped with or without their directory.
                String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                byte[] content = ReadLimits.read(zip, budget, "bundle " + source + " (decompressed)");
                budget -= content.length;
                if (files.put(name, content) != null) {
                    duplicates.add(name);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFormatException("bundle " + source + " is not a readable .zip: " + e.getMessage(), e);
        }
        if (!files.containsKey(SPEC_FILE)) {
            throw new ModelFormatException("bundle " + source + " must contain " + SPEC_FILE + " and its weights file");
        }
        if (duplicates.contains(SPEC_FILE)) {
            throw new ModelFormatException("bundle " + source + " holds " + SPEC_FILE + " twice");
        }
        ModelSpec spec = parseSpec(files.get(SPEC_FILE), source);
        if (duplicates.contains(spec.weightsFile())) {
            throw new ModelFormatException("bundle " + source + " holds " + spec.weightsFile() + " twice");
        }
        byte[] weights = files.get(spec.weightsFile());
        if (weights == null) {
            throw new ModelFormatException("bundle " + source + " must contain " + SPEC_FILE + " and "
                    + spec.weightsFile() + (spec.weights() == null ? "" : " (the weights file model.json names)"));
        }
        return of(spec, WeightsFormat.read(weights, source + ":" + spec.weightsFile(), limits), source);
    }

    /** Parses and checks model.json; the weights file it names is read only when the spec is valid. */
    private static ModelSpec parseSpec(byte[] specJson, String source) {
        ModelSpec spec;
        try {
            spec = JSON.readValue(specJson, ModelSpec.class);
        } catch (IOException e) {
            throw new ModelFormatException(
                    source + "/" + SPEC_FILE + " is not a valid model spec: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        SpecValidator.validate(spec, source);
        return spec;
    }

    private static ModelBundle of(ModelSpec spec, Map<String, NpyArray> weights, String source) {
        ModelBundle bundle = new ModelBundle(spec, weights);
        bundle.check();
        return bundle;
    }

    /** Checks every tensor against the spec without allocating the network. */
    void check() {
        ForecastModels.checkTensors(spec, weights);
    }

    /**
     * What makes two bundles the same model, as hex SHA-256: the weights and every spec field that changes what
     * the model computes, but not its horizon (a job may set its own), name, version or description.
     */
    public String fingerprint() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            ModelSpec.Normalisation n = spec.normalisation();
            sha.update(JSON.writeValueAsBytes(java.util.Arrays.asList(
                    spec.cell(),
                    spec.hiddenSize(),
                    spec.numLayers(),
                    spec.projectionSize(),
                    spec.features(),
                    spec.targets(),
                    n.featureMean(),
                    n.featureStd(),
                    n.targetMean(),
                    n.targetStd(),
                    spec.horizonMode(),
                    spec.residual(),
                    spec.prefixes(),
                    spec.timeFeatureList(),
                    spec.baseline())));
            java.nio.ByteBuffer floats = java.nio.ByteBuffer.allocate(4096);
            for (Map.Entry<String, NpyArray> w : new java.util.TreeMap<>(weights).entrySet()) {
                sha.update(w.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update(NpyArray.describe(w.getValue().shape()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                for (float v : w.getValue().data()) {
                    if (!floats.hasRemaining()) {
                        sha.update(floats.flip());
                        floats.clear();
                    }
                    floats.putFloat(v);
                }
                sha.update(floats.flip());
                floats.clear();
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
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

    /** Writes the bundle as a directory, its weights as weights.npz whatever file they were read from. */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(SPEC_FILE).toFile(), spec.withWeights(null));
        Npz.write(dir.resolve(WEIGHTS_FILE), weights);
    }

    /**
     * Writes a bundle directory whose weights are the file {@code weightsFile} as it is ({@code spec.weightsFile()}
     * names it), e.g. the .pt or .onnx a model was imported from. Read it back with {@link #read} to check it.
     */
    public static void write(Path dir, ModelSpec spec, byte[] weightsFile) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(SPEC_FILE).toFile(), spec);
        Files.write(dir.resolve(spec.weightsFile()), weightsFile);
    }

    /** The bundle as zip bytes (model.json + weights.npz). */
    public byte[] toZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(SPEC_FILE));
            zip.write(JSON.writeValueAsBytes(spec.withWeights(null)));
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
