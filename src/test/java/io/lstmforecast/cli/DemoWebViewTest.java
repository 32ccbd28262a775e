package io.lstmforecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * The demo's web view in a real browser (the system's chromium, driven by its chromedriver; nothing is downloaded):
 * the live demo of each shipped job runs in this process (embedded Kafka, Flink, generator, view), the page fills its
 * entity list, draws the chosen entity's chart and takes new forecasts without a reload. Screenshots go to target/.
 * It needs chromium and chromium-driver from the system's packages, so it runs in its own profile: mvn verify -Pbrowser.
 */
@Tag("browser")
class DemoWebViewTest {
    private static final int ENTITIES = 8;
    private static final Duration WAIT = Duration.ofSeconds(150);

    @ParameterizedTest
    @ValueSource(strings = {"sensors", "tracks"})
    void thePageFollowsTheDemoLive(String job) throws Exception {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo)
                .parseArgs(
                        "--job",
                        job,
                        "--entities",
                        String.valueOf(ENTITIES),
                        "--rate",
                        "40",
                        "--duration",
                        "400s",
                        "--kafka-port",
                        "0",
                        "--web-port",
                        "0",
                        "--view-port",
                        String.valueOf(freePort()));
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Future<Integer> run = runner.submit(demo::call);
        WebDriver browser = null;
        try {
            String url = awaitViewUrl(demo, run);
            browser = chromium();
            browser.get(url);
            // The list is redrawn with every push, so a row found a moment ago may be gone: look again then.
            WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(250));
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(b -> rows(b).size() == ENTITIES);

            // Choose the second entity of the list: the chart draws its window.
            String entity = wait.until(b -> rows(b).get(1).getAttribute("data-entity"));
            // A click on a row that a push replaces at that moment is lost: click again until the title follows.
            wait.until(b -> {
                if (b.findElement(By.id("title")).getText().startsWith(entity + " ")) {
                    return true;
                }
                b.findElement(By.cssSelector("tr[data-entity='" + entity + "']"))
                        .click();
                return false;
            });
            WebElement chart = browser.findElement(By.id("chart"));
            wait.until(b -> Integer.parseInt(chart.getAttribute("data-points")) > 20);

            // A new forecast arrives and is drawn while the page stays loaded (a reload would lose the marker).
            ((JavascriptExecutor) browser).executeScript("window.sameLoad = true;");
            long step = Long.parseLong(chart.getAttribute("data-last-step"));
            wait.until(b -> Long.parseLong(chart.getAttribute("data-last-step")) > step);
            assertEquals(
                    Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.sameLoad === true;"));
            assertEquals(
                    entity,
                    wait.until(b -> b.findElement(By.cssSelector("tr.chosen")).getAttribute("data-entity")));
            assertTrue(Long.parseLong(browser.findElement(By.id("forecasts")).getText()) > 0);
            WebElement xy = browser.findElement(By.id("xy"));
            assertEquals(
                    job.equals("tracks"), xy.isDisplayed(), "the x-y plot is shown for track jobs (targets x, y) only");
            if (job.equals("tracks")) {
                assertTrue(
                        Integer.parseInt(xy.getAttribute("data-points")) > 10, "the x-y plot draws the track's path");
            }

            // Sorting by name, then by MAE (descending, worst first) orders the rows by the figure shown.
            browser.findElement(By.cssSelector("th[data-key=entity]")).click();
            browser.findElement(By.cssSelector("th[data-key=mae]")).click();
            List<Double> maes = wait.until(b -> rows(b).stream()
                    .map(r -> r.findElements(By.tagName("td")).get(3).getText())
                    .filter(s -> !s.equals("-"))
                    .map(Double::parseDouble)
                    .toList());
            assertTrue(maes.size() > 1, "rows show their MAE");
            for (int i = 1; i < maes.size(); i++) {
                assertTrue(maes.get(i - 1) >= maes.get(i), "MAE column sorted worst first: " + maes);
            }

            // The JSON behind the page answers scripts too.
            JsonNode detail = getJson(url + "api/entities/"
                    + URLEncoder.encode(entity, StandardCharsets.UTF_8).replace("+", "%20"));
            assertEquals(entity, detail.get("entity").asText());
            assertTrue(
                    detail.get("points").size() > 5,
                    "the entity's window: " + detail.get("points").size() + " points");
            assertEquals(
                    detail.get("horizon").asInt() * detail.get("targets").size(),
                    detail.get("points").get(0).get("forecast").size());
            assertEquals(ENTITIES, getJson(url + "api/entities").get("entities").size());

            Path shot = Path.of("target", "view-" + job + ".png");
            Files.createDirectories(shot.getParent());
            Files.copy(
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                    shot,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            if (browser != null) {
                browser.quit();
            }
            demo.stopRequested.set(true);
            assertEquals(0, run.get(120, TimeUnit.SECONDS));
            runner.shutdown();
        }
    }

    private static String awaitViewUrl(DemoCommand demo, Future<Integer> run) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (demo.viewUrl == null) {
            if (run.isDone()) {
                throw new AssertionError("the demo ended before its view started: exit " + run.get());
            }
            assertTrue(System.currentTimeMillis() < deadline, "the demo's view did not start");
            Thread.sleep(100);
        }
        return demo.viewUrl;
    }

    /** The system's chromium through its chromedriver, so Selenium Manager has nothing to download. */
    private static WebDriver chromium() {
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1500,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static List<WebElement> rows(WebDriver b) {
        return b.findElements(By.cssSelector("#entities tbody tr"));
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
