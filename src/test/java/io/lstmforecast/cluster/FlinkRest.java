package io.lstmforecast.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The parts of Flink's REST API a user submits and operates this job with: jar upload and run, status, stop, cancel. */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String address;

    public FlinkRest(String address) {
        this.address = address;
    }

    /** POST /jars/upload: returns the jar id to run it by. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "----lstm-forecast-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest request = HttpRequest.newBuilder(URI.create(address + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofString(head),
                        HttpRequest.BodyPublishers.ofFile(jar),
                        HttpRequest.BodyPublishers.ofString(tail)))
                .build();
        String file = send(request).get("filename").asText();
        return Path.of(file).getFileName().toString();
    }

    /** POST /jars/:id/run with program arguments, optionally restoring a savepoint or retained checkpoint. */
    public String run(String jarId, List<String> programArgs, String savepointPath)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("programArgsList", programArgs);
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
        }
        return send(post("/jars/" + jarId + "/run", body)).get("jobid").asText();
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(address + path)).GET().build());
    }

    public String state(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).get("state").asText();
    }

    /** Waits until the job is in one of {@code states}; fails at once on a terminal state that is not wanted. */
    public void awaitState(String jobId, Duration timeout, String... states) throws IOException, InterruptedException {
        Set<String> wanted = Set.of(states);
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = null;
        while (System.nanoTime() < deadline) {
            state = state(jobId);
            if (wanted.contains(state)) {
                return;
            }
            if (Set.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
                throw new AssertionError("job " + jobId + " ended " + state + ", expected " + wanted + ": "
                        + get("/jobs/" + jobId + "/exceptions"));
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job " + jobId + " is " + state + " after " + timeout + ", expected " + wanted);
    }

    /** Waits until every task of the job runs, so that it reads its source and checkpoints. */
    public void awaitAllTasksRunning(String jobId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = get("/jobs/" + jobId);
            boolean all = job.get("state").asText().equals("RUNNING");
            for (JsonNode v : job.get("vertices")) {
                all &= v.get("status").asText().equals("RUNNING");
            }
            if (all) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job " + jobId + " not fully running after " + timeout);
    }

    /** Stop with a savepoint (no drain: event time does not jump to the end); returns the savepoint's path. */
    public String stopWithSavepoint(String jobId, Duration timeout) throws IOException, InterruptedException {
        String trigger = send(post("/jobs/" + jobId + "/stop", Map.of("drain", false)))
                .get("request-id")
                .asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if (status.get("status").get("id").asText().equals("COMPLETED")) {
                JsonNode op = status.get("operation");
                if (op.has("failure-cause")) {
                    throw new AssertionError("stop with savepoint failed: " + op.get("failure-cause"));
                }
                return op.get("location").asText();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no savepoint of " + jobId + " after " + timeout);
    }

    public void cancel(String jobId) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(address + "/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("cancel " + jobId + ": HTTP " + r.statusCode() + " " + r.body());
        }
        awaitState(jobId, Duration.ofSeconds(60), "CANCELED");
    }

    /** Cancels the job unless it has ended already: tests end their jobs whatever happened, so slots are freed. */
    public void cancelIfRunning(String jobId) throws IOException, InterruptedException {
        if (jobId != null && !Set.of("FAILED", "CANCELED", "FINISHED").contains(state(jobId))) {
            cancel(jobId);
        }
    }

    /** Number of failovers recorded for the job (restarts after a task or TaskManager failure). */
    public int failovers(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/exceptions")
                .get("exceptionHistory")
                .get("entries")
                .size();
    }

    private HttpRequest post(String path, Object body) throws IOException {
        return HttpRequest.newBuilder(URI.create(address + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() / 100 != 2) {
            throw new IOException(request.method() + " " + request.uri() + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
