package io.lstmforecast.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The view with a token answers 401 to every page, endpoint and event stream without it, and serves them to a
 * request that carries it as a bearer header or in the cookie a ?token= address sets; without a token it serves all.
 */
class ViewServerTest {
    private static final String TOKEN = "0123456789abcdef-token";
    private static final List<String> PATHS =
            List.of("/", "/index.html", "/api/entities", "/api/entities/m-1", "/api/stream", "/nothing");

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void withATokenEveryPathAnswers401WithoutItAndIsServedWithIt() throws Exception {
        ForecastStore store = new ForecastStore(10, 10);
        try (ViewServer server = ViewServer.start(store, "127.0.0.1", 0, TOKEN)) {
            String base = "http://127.0.0.1:" + server.port();
            for (String path : PATHS) {
                HttpResponse<String> none = get(base + path, null, null);
                assertEquals(401, none.statusCode(), path + " without a token");
                assertTrue(
                        none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
                assertEquals(
                        401,
                        get(base + path, "Bearer wrong-token-0123456", null).statusCode(),
                        path);
                assertEquals(
                        401, get(base + path, "Bearer " + TOKEN + "x", null).statusCode(), path);
                assertEquals(
                        401,
                        get(base + path, null, "lstmforecast-view=" + TOKEN).statusCode(),
                        path);
                assertEquals(
                        401,
                        get(base + path + (path.contains("?") ? "&" : "?") + "token=nope", null, null)
                                .statusCode());
            }
            assertEquals(200, get(base + "/", "Bearer " + TOKEN, null).statusCode());
            assertEquals(
                    200, get(base + "/api/entities", "Bearer " + TOKEN, null).statusCode());
            assertEquals(
                    404,
                    get(base + "/api/entities/m-1", "Bearer " + TOKEN, null).statusCode(),
                    "no such entity");
            assertEquals(200, streamStatus(base + "/api/stream", "Bearer " + TOKEN, null));

            // The page opened once with ?token=: a redirect to the page without it, and a cookie that then serves
            // the page, the endpoints and the event stream.
            HttpResponse<String> opened = get(base + "/?token=" + TOKEN, null, null);
            assertEquals(303, opened.statusCode());
            assertEquals("/", opened.headers().firstValue("Location").orElse(""));
            String setCookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
            assertTrue(!setCookie.contains(TOKEN), "the cookie holds a session value, not the token");
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            assertEquals(200, get(base + "/", null, cookie).statusCode());
            assertEquals(200, get(base + "/api/entities", null, cookie).statusCode());
            assertEquals(200, streamStatus(base + "/api/stream?entity=m-1", null, cookie));
        }
    }

    @Test
    void withoutATokenEveryPathIsServed() throws Exception {
        try (ViewServer server = ViewServer.start(new ForecastStore(10, 10), "127.0.0.1", 0, null)) {
            String base = "http://127.0.0.1:" + server.port();
            assertEquals(200, get(base + "/", null, null).statusCode());
            assertEquals(200, get(base + "/api/entities", null, null).statusCode());
            assertEquals(200, streamStatus(base + "/api/stream", null, null));
        }
    }

    private HttpResponse<String> get(String url, String authorization, String cookie) throws Exception {
        return http.send(request(url, authorization, cookie), HttpResponse.BodyHandlers.ofString());
    }

    /** The status of an event stream, read up to its first event (it never ends by itself). */
    private int streamStatus(String url, String authorization, String cookie) throws Exception {
        HttpResponse<InputStream> r =
                http.send(request(url, authorization, cookie), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() == 200) {
                assertEquals(
                        "text/event-stream; charset=utf-8",
                        r.headers().firstValue("Content-Type").orElse(""));
                byte[] first = in.readNBytes(6);
                assertEquals("data: ", new String(first, StandardCharsets.UTF_8));
            }
        }
        return r.statusCode();
    }

    private static HttpRequest request(String url, String authorization, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return b.GET().build();
    }
}
