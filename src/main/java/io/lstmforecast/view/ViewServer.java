package io.lstmforecast.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The view's web server (the JDK's own HTTP server): the page at /, the store as JSON at /api/entities and
 * /api/entities/{id}, and updates pushed as Server-Sent Events at /api/stream?entity=ID. Each stream holds one
 * thread and nothing else: it remembers only the sequence number it sent last, so an open page costs no memory.
 *
 * <p>With a token every request must carry it: as {@code Authorization: Bearer TOKEN}, or in the session cookie that
 * a request with {@code ?token=TOKEN} in its address receives (so a browser opens the page once with the token and
 * its requests and event stream then carry the cookie). Anything else is answered 401, page and stream included. The
 * cookie holds a random session value made when the server starts, not the token.
 */
public final class ViewServer implements AutoCloseable {
    private static final String PAGE = "/io/lstmforecast/view/index.html";
    private static final String ENTITIES = "/api/entities";
    private static final long PUSH_INTERVAL_MS = 500;
    /** Every this many pushes a stream sends the whole entity list, so the page drops entities the store evicted. */
    private static final int FULL_LIST_EVERY = 20;

    private static final int MAX_STREAMS = 32;
    private static final String BEARER = "Bearer ";
    private static final String COOKIE = "lstmforecast-view";

    private final ForecastStore store;
    private final HttpServer server;
    private final ExecutorService threads;
    private final byte[] page;
    private final AtomicInteger streams = new AtomicInteger();
    /** The token every request must carry, or null: none (loopback, or --view-insecure). */
    private final byte[] token;
    /** The session cookie's value, given for a right ?token=; random per server. */
    private final byte[] session;

    private volatile boolean closed;

    private ViewServer(ForecastStore store, HttpServer server, String token) {
        this.store = store;
        this.server = server;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.session = HexFormat.of().formatHex(random).getBytes(StandardCharsets.UTF_8);
        this.page = resource(PAGE);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "view-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code store} on host:port (port 0: a free one) to every request that carries {@code token} (null: all). */
    public static ViewServer start(ForecastStore store, String host, int port, String token) throws IOException {
        return new ViewServer(store, HttpServer.create(new InetSocketAddress(host, port), 0), token);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (!admitted(ex, path)) {
                return;
            }
            if (!"GET".equals(ex.getRequestMethod())) {
                send(ex, 405, "text/plain", "only GET".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/") || path.equals("/index.html")) {
                send(ex, 200, "text/html; charset=utf-8", page);
            } else if (path.equals(ENTITIES)) {
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.set("status", store.status());
                o.set("entities", store.entities(since(ex)));
                json(ex, 200, o);
            } else if (path.startsWith(ENTITIES + "/")) {
                String id = decode(path.substring(ENTITIES.length() + 1));
                ObjectNode entity = store.entity(id, since(ex));
                json(
                        ex,
                        entity == null ? 404 : 200,
                        entity == null
                                ? Json.MAPPER.createObjectNode().put("error", "no entity '" + id + "' in the view")
                                : entity);
            } else if (path.equals("/api/stream")) {
                stream(ex, decode(query(ex, "entity")));
            } else {
                send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Pushes {"status", "entities", "full", "entity"} whenever the store changed (at most every 500 ms): the rows of
     * the entities changed since the last push (all rows on the first push and every 20th), and the chosen entity's
     * new points and alerts. A comment line keeps an idle stream open and finds a closed browser within a push.
     */
    private void stream(HttpExchange ex, String entity) throws IOException {
        if (streams.incrementAndGet() > MAX_STREAMS) {
            streams.decrementAndGet();
            send(ex, 503, "text/plain", "too many open views".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            long since = -1;
            for (int push = 0; !closed; push++) {
                long now = store.seq();
                if (now > since || push % FULL_LIST_EVERY == 0) {
                    boolean full = push % FULL_LIST_EVERY == 0;
                    ObjectNode msg = Json.MAPPER.createObjectNode();
                    msg.set("status", store.status());
                    msg.set("entities", store.entities(full ? -1 : since));
                    msg.put("full", full);
                    msg.set("entity", entity == null ? null : store.entity(entity, since));
                    out.write(
                            ("data: " + Json.MAPPER.writeValueAsString(msg) + "\n\n").getBytes(StandardCharsets.UTF_8));
                    since = now;
                } else {
                    out.write(": idle\n\n".getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                Thread.sleep(PUSH_INTERVAL_MS);
            }
        } catch (IOException e) {
            // The browser closed the page or chose another entity: this stream is done.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.decrementAndGet();
        }
    }

    /**
     * Whether the request may be served; when not, its answer has been sent: 401, or for the page opened with a right
     * ?token= a redirect to the page's address without it, setting the session cookie.
     */
    private boolean admitted(HttpExchange ex, String path) throws IOException {
        if (token == null) {
            return true;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null
                && auth.startsWith(BEARER)
                && same(auth.substring(BEARER.length()).trim(), token)) {
            return true;
        }
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String c : header.split(";")) {
                String cookie = c.trim();
                if (cookie.startsWith(COOKIE + "=") && same(cookie.substring(COOKIE.length() + 1), session)) {
                    return true;
                }
            }
        }
        String given = query(ex, "token");
        if (given != null && same(decode(given), token)) {
            ex.getResponseHeaders()
                    .add(
                            "Set-Cookie",
                            COOKIE + "=" + new String(session, StandardCharsets.UTF_8)
                                    + "; Path=/; HttpOnly; SameSite=Strict");
            if (path.equals("/") || path.equals("/index.html")) {
                // The page again without the token in its address (history, bookmarks, a shared screen).
                ex.getResponseHeaders().set("Location", "/");
                ex.sendResponseHeaders(303, -1);
                return false;
            }
            return true;
        }
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"lstm-forecast view\"");
        send(
                ex,
                401,
                "text/plain",
                ("this view needs its token: open /?token=TOKEN once, or send Authorization: Bearer TOKEN")
                        .getBytes(StandardCharsets.UTF_8));
        return false;
    }

    /** Constant-time comparison, so the time of a refusal tells nothing about how much of a guess was right. */
    private static boolean same(String given, byte[] expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected);
    }

    private static long since(HttpExchange ex) {
        try {
            String s = query(ex, "since");
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String query(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                if (pair.startsWith(name + "=")) {
                    return pair.substring(name.length() + 1);
                }
            }
        }
        return null;
    }

    /** A percent-encoded path segment or query value; '+' stays a plus (encodeURIComponent writes a space as %20). */
    private static String decode(String raw) {
        return raw == null ? null : URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void json(HttpExchange ex, int code, JsonNode body) throws IOException {
        send(ex, code, "application/json", Json.MAPPER.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(code, body.length);
        ex.getResponseBody().write(body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = ViewServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
