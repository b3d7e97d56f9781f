package org.complainthub.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for browser tests: Debian's chromium and chromium-driver, never a downloaded browser.
 * <pre>
 * Browser.assumeInstalled();            // skips the test where Chromium is not installed
 * try (Browser browser = Browser.phone()) {
 *     browser.driver().get(url);
 * }
 * </pre>
 * The flags keep Chromium off the network (it tries to reach Google's services otherwise, and there is no network
 * here) and give every browser a fresh profile, deleted on close. Selenium Manager is never consulted because both the
 * driver and the browser binary are given.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final String NOT_INSTALLED = "Chromium not installed: apt-get install -y chromium chromium-driver";
    /** A common phone viewport (CSS pixels). */
    public static final int PHONE_WIDTH = 390;
    public static final int PHONE_HEIGHT = 844;

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /**
     * Skips the calling test (or class, from a @BeforeAll) when Chromium or its driver is missing; under CI (CI=true,
     * where .ci/run installs them) a missing browser is a failure instead, so CI always runs the browser tests.
     */
    public static void assumeInstalled() {
        if (!installed()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(NOT_INSTALLED + " (CI=true: .ci/run should have installed it)");
            }
            Assumptions.assumeTrue(false, NOT_INSTALLED);
        }
    }

    /**
     * A phone: a 390 x 844 screen in Chromium's mobile emulation, so the page's viewport meta tag is honoured as on a
     * real phone. (A desktop window cannot be that narrow: Chromium widens any window to at least 500 pixels.)
     */
    public static Browser phone() {
        return start(PHONE_WIDTH, PHONE_HEIGHT, true);
    }

    /** A phone of another size, e.g. 360 x 740, the narrowest common one. */
    public static Browser phone(int width, int height) {
        return start(width, height, true);
    }

    /** A desktop window of this size (at least 500 pixels wide). */
    public static Browser desktop(int width, int height) {
        return start(width, height, false);
    }

    private static Browser start(int width, int height, boolean phone) {
        assumeInstalled();
        Path profile;
        try {
            profile = Files.createTempDirectory("chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-proxy-server", // tests talk to servers on this machine only
                "--disable-dev-shm-usage", // /dev/shm is small in containers; Chromium crashes on big pages otherwise
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile);
        if (phone) {
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", width, "height", height, "pixelRatio", 2, "mobile", true, "touch", true)));
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        try {
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            service.stop();
            deleteQuietly(profile);
            throw e;
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** A wait for page script to catch up, e.g. {@code browser.await().until(visibilityOfElementLocated(...))}. */
    public WebDriverWait await() {
        return new WebDriverWait(driver, Duration.ofSeconds(10));
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** True when the page is wider than the window, i.e. the user would have to scroll sideways. */
    public boolean scrollsSideways() {
        return (Boolean) script("var d = document.documentElement;"
                + "return d.scrollWidth > d.clientWidth || document.body.scrollWidth > d.clientWidth;");
    }

    /** The window's inner width in CSS pixels, to check the page was laid out at the size asked for. */
    public long viewportWidth() {
        return ((Number) script("return document.documentElement.clientWidth;")).longValue();
    }

    /** A PNG of what the window shows now. */
    public Path screenshot(Path to) {
        try {
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.createDirectories(to.toAbsolutePath().getParent());
            Files.move(shot, to, StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Script errors (uncaught exceptions, console.error) since the last call: a page whose script failed must fail its
     * test. Chromium also logs every HTTP answer of 400 and more as an error; those are left out, since a test that
     * provokes a 400 expects them.
     */
    public List<String> scriptErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("Failed to load resource"))
                .toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp profile is harmless
        }
    }
}
