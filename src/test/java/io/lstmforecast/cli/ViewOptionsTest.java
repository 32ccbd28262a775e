package io.lstmforecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A view beyond loopback needs --view-token or --view-insecure; the command line says so in one error line. */
class ViewOptionsTest {
    private static ViewOptions options(String host, String token, boolean insecure) {
        ViewOptions o = new ViewOptions();
        o.host = host;
        o.token = token;
        o.insecure = insecure;
        return o;
    }

    @Test
    void loopbackNeedsNoTokenAndEveryOtherAddressNeedsOneOrInsecure() {
        assertNull(options("127.0.0.1", null, false).requiredToken());
        assertNull(options("localhost", null, false).requiredToken());
        assertNull(options("::1", null, false).requiredToken());
        for (String open : new String[] {"0.0.0.0", "::"}) {
            UserInputException e = assertThrows(
                    UserInputException.class, () -> options(open, null, false).requiredToken());
            assertTrue(e.getMessage().contains("--view-token") && e.getMessage().contains("--view-insecure"));
            assertNull(options(open, null, true).requiredToken(), "--view-insecure serves without a credential");
            assertEquals(
                    "0123456789abcdef", options(open, "0123456789abcdef", false).requiredToken());
        }
        assertEquals(
                "0123456789abcdef",
                options("127.0.0.1", "0123456789abcdef", false).requiredToken());
        assertThrows(
                UserInputException.class,
                () -> options("0.0.0.0", "short", false).requiredToken());
        assertThrows(
                UserInputException.class,
                () -> options("0.0.0.0", "0123456789abcdef&x=1", false).requiredToken());
    }

    @Test
    void viewOnEveryInterfaceWithoutATokenIsAnErrorLineAndExitCode2() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute("view", "--job", "sensors", "--view-host", "0.0.0.0", "--port", "0");
        } finally {
            System.setErr(old);
        }
        assertEquals(2, code);
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertTrue(text.startsWith("error: --view-host 0.0.0.0") && text.lines().count() == 1, text);
        assertTrue(text.contains("--view-token TOKEN"), text);
    }
}
