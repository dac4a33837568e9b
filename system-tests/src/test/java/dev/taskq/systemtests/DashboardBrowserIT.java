package dev.taskq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.testsupport.AnthropicStandIn.Reply;
import dev.taskq.testsupport.AnthropicStandIn.Turn;
import io.restassured.path.json.JsonPath;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web dashboard in a real browser (Debian's headless Chromium) against the whole system, whose worker runs the real
 * {@code claude} against the Messages API stand-in. The stand-in holds the watched session's first answer until the test
 * has the page open, so the log lines that follow can only have reached the page through its live stream.
 */
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target/dashboard.png");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** A session that runs one Bash step, but only once the test lets its first answer go. */
    private static final String WATCHED = "[ui:watch]";
    private static final String STEP_COMMAND = "echo dashboard-step-one";
    /** A session whose first answer never comes in time: it runs until it is cancelled. */
    private static final String HANGING = "[ui:hang]";
    private static final CompletableFuture<Void> WATCHED_MAY_GO_ON = new CompletableFuture<>();
    /** A session that asks {@link #QUESTION} through the worker's AskHuman tool and, once answered, finishes. */
    private static final String ASKING = "[ui:ask]";
    private static final String QUESTION = "Which database should the migration target?";

    private static RealClaudeSystem realClaude;
    private static RunningStack system;
    private static ChromeDriver browser;
    private static Path profile;

    @BeforeAll
    static void startSystemAndBrowser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and chromedriver are not installed (scripts/ensure-chromium.sh)");
        realClaude = RealClaudeSystem.start(DashboardBrowserIT::replyFor, 1, 4);
        system = realClaude.stack();
        profile = Files.createTempDirectory("taskq-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,1800");
        // An explicit driver executable: Selenium Manager never runs, so nothing is downloaded.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowserAndSystem() throws Exception {
        WATCHED_MAY_GO_ON.complete(null);
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (realClaude != null) {
                realClaude.close();
            }
            if (profile != null) {
                try (Stream<Path> files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }

    private static Reply replyFor(Turn turn) {
        String prompt = turn.firstText();
        if (prompt.contains(WATCHED)) {
            if (turn.afterToolResult()) {
                return Reply.text("The step printed dashboard-step-one. Done.");
            }
            WATCHED_MAY_GO_ON.orTimeout(90, TimeUnit.SECONDS).join();
            return Reply.toolUse("I will run the first step.", "Bash", Map.of("command", STEP_COMMAND, "description", "First step"));
        }
        if (prompt.contains(HANGING)) {
            return Reply.text("Too late.").heldFor(Duration.ofMinutes(10));
        }
        if (prompt.contains(ASKING)) {
            if (turn.lastText().contains("A human answered the question you asked.")) {
                return Reply.text("Migrating to the database the human chose. Done.");
            }
            return turn.afterToolResult() ? Reply.text("I asked a human and will wait for the answer.")
                    : Reply.toolUse("I need a decision first.", "mcp__taskq__AskHuman", Map.of("question", QUESTION));
        }
        return Reply.text("ok");
    }

    @Test
    void theDashboardAsksForTheTokenOnceAndReturnsToTheFormWhenTheApiRefusesIt() {
        browser.get(system.stack.gatewayUrl() + "/ui/");
        browser.executeScript("localStorage.clear()");
        browser.navigate().refresh();
        awaitShown(By.id("login"));

        signInWith("not-the-token");
        waitUntil().until(() -> text(By.id("login-error")).contains("did not accept"));

        signInWith(system.stack.apiToken());
        awaitShown(By.id("nav"));
        waitUntil().until(() -> text(By.cssSelector("#view h1")).equals("Tasks"));
        assertThat(browser.executeScript("return localStorage.getItem('taskq.apiToken')")).isEqualTo(system.stack.apiToken());

        // A token the API stops accepting sends the page back to the form, with a reason.
        browser.executeScript("localStorage.setItem('taskq.apiToken', 'revoked')");
        browser.get(system.stack.gatewayUrl() + "/ui/#/workers");
        awaitShown(By.id("login"));
        waitUntil().until(() -> text(By.id("login-error")).contains("did not accept"));
        signInWith(system.stack.apiToken());
        awaitShown(By.id("nav"));
    }

    @Test
    void aTaskSubmittedOnThePageShowsItsLogLinesAndToolCallsAsTheyArrive() throws Exception {
        open("/tasks");
        browser.findElement(By.id("new-task")).click();
        browser.findElement(By.id("new-prompt")).sendKeys("Show your work live " + WATCHED);
        browser.findElement(By.id("new-max-turns")).sendKeys("5");
        browser.findElement(By.id("new-timeout")).sendKeys("120");
        browser.findElement(By.id("new-submit")).click();

        waitUntil().until(() -> currentHash().startsWith("#/tasks/"));
        UUID id = UUID.fromString(currentHash().substring("#/tasks/".length()));
        // Set once the page is open: still there at the end means every later line came without a reload.
        browser.executeScript("window.openedOnce = true");
        waitUntil().until(() -> "RUNNING".equals(shownStatus()) && !logLines("").isEmpty());
        assertThat(browser.findElements(By.cssSelector("#tool-calls li"))).as("tool calls before the model answered").isEmpty();
        assertThat(logLines("TOOL_USE")).isEmpty();

        WATCHED_MAY_GO_ON.complete(null);

        waitUntil().until(() -> browser.findElements(By.cssSelector("#tool-calls li")).stream()
                .anyMatch(call -> call.getText().contains(STEP_COMMAND)));
        waitUntil().until(() -> logLines("TOOL_RESULT").stream().anyMatch(line -> line.contains("dashboard-step-one")));
        waitUntil().until(() -> "SUCCEEDED".equals(shownStatus()) && !logLines("RESULT").isEmpty());
        assertThat(browser.executeScript("return window.openedOnce === true")).isEqualTo(true);
        assertThat(logLines("TOOL_USE")).anySatisfy(line -> assertThat(line).contains(STEP_COMMAND));
        waitUntil().until(() -> text(By.id("log-state")).contains("ended"));
        waitUntil().until(() -> browser.findElements(By.cssSelector("#attempts tbody tr")).size() == 1
                && text(By.id("task-summary")).contains("Cost"));
        assertThat(text(By.id("task-summary"))).contains("The step printed dashboard-step-one. Done.");
        assertThat(system.api().get("/api/v1/tasks/{id}", id).then().extract().jsonPath().getString("status")).isEqualTo("SUCCEEDED");

        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void theCancelButtonEndsARunningTaskAndTheListFollowsItsStatus() {
        UUID id = submit(Map.of("prompt", "Run until cancelled " + HANGING, "timeoutSeconds", 600));
        awaitApiStatus(id, "RUNNING");
        open("/tasks?status=RUNNING");
        waitUntil().until(() -> rowStatus(id).equals("RUNNING"));

        open("/tasks/" + id);
        waitUntil().until(() -> "RUNNING".equals(shownStatus()));
        browser.findElement(By.cssSelector("button[data-action=cancel]")).click();
        browser.findElement(By.cssSelector("button[data-confirm=cancel]")).click();

        waitUntil().until(() -> "CANCELLED".equals(shownStatus()));
        assertThat(browser.findElements(By.cssSelector("button[data-action=cancel]"))).isEmpty();
        awaitApiStatus(id, "CANCELLED");
        open("/tasks?status=CANCELLED");
        waitUntil().until(() -> rowStatus(id).equals("CANCELLED"));
    }

    @Test
    void theWorkersViewShowsTheWorkerAliveAndItsPoolsSlots() {
        String workerId = system.api().get("/api/v1/workers").then().statusCode(200).extract().jsonPath()
                .getString("workers.find { it.alive }.workerId");
        assertThat(workerId).isNotNull();

        open("/workers");

        By worker = By.cssSelector("#workers tr[data-worker-id='" + workerId + "']");
        waitUntil().until(() -> text(worker).contains("alive"));
        assertThat(text(worker)).contains("default").contains("/ 4");
        waitUntil().until(() -> text(By.cssSelector("#pools tr[data-pool='default']")).contains("/ 4"));
    }

    @Test
    void theWorkflowViewDrawsTheGraphWithEachNodesStateAndCancelsIt() {
        String workflowId = system.api().body(Map.of("name", "dashboard-graph", "tasks", List.of(
                        Map.of("ref", "build", "prompt", "Build " + HANGING),
                        Map.of("ref", "test", "prompt", "Test", "dependsOn", List.of("build")),
                        Map.of("ref", "report", "prompt", "Report", "dependsOn", List.of("build", "test"),
                                "onDependencyFailure", "run"))))
                .post("/api/v1/workflows").then().statusCode(201).extract().path("id");

        open("/workflows/" + workflowId);

        waitUntil().until(() -> nodeStatus("build").equals("RUNNING"));
        assertThat(nodeStatus("test")).isEqualTo("WAITING");
        assertThat(nodeStatus("report")).isEqualTo("WAITING");
        assertThat(browser.findElements(By.cssSelector("#workflow-graph path.edge"))).hasSize(3);
        browser.findElement(By.cssSelector("button[data-action=cancel-workflow]")).click();
        browser.findElement(By.cssSelector("button[data-confirm=cancel-workflow]")).click();
        waitUntil().until(() -> nodeStatus("build").equals("CANCELLED") && nodeStatus("test").equals("CANCELLED"));
    }

    @Test
    void theSchedulesViewShowsNextFireTimesAndPausesASchedule() {
        String scheduleId = system.api().body(Map.of("name", "dashboard-yearly", "cron", "@yearly", "timezone", "Europe/Berlin",
                        "task", Map.of("prompt", "Once a year")))
                .post("/api/v1/schedules").then().statusCode(201).extract().path("id");

        open("/schedules");

        By row = By.cssSelector("#schedules tr[data-schedule-id='" + scheduleId + "']");
        waitUntil().until(() -> browser.findElement(row).findElements(By.cssSelector("time")).size() >= 5);
        assertThat(text(row)).contains("ACTIVE").contains("@yearly").contains("Europe/Berlin");
        browser.findElement(row).findElement(By.cssSelector("button[data-action=pause]")).click();
        waitUntil().until(() -> text(row).contains("PAUSED"));
        assertThat(system.api().get("/api/v1/schedules/{id}", scheduleId).then().extract().jsonPath().getString("status"))
                .isEqualTo("PAUSED");
    }

    @Test
    void aWaitingTasksQuestionIsShownAndTheAnswerTypedOnThePageResumesTheTask() {
        String answer = "PostgreSQL 17, the cluster called orders-db.";
        UUID id = submit(Map.of("prompt", "Plan the migration " + ASKING, "maxTurns", 5, "timeoutSeconds", 120));
        awaitApiStatus(id, "WAITING_FOR_INPUT");

        open("/tasks?status=WAITING_FOR_INPUT");
        waitUntil().until(() -> rowStatus(id).equals("WAITING_FOR_INPUT"));
        assertThat(text(By.cssSelector("tr[data-task-id='" + id + "'] .asks"))).contains(QUESTION);

        open("/tasks/" + id);
        waitUntil().until(() -> "WAITING_FOR_INPUT".equals(shownStatus()) && text(By.id("question-text")).equals(QUESTION));
        browser.findElement(By.id("answer-text")).sendKeys(answer);
        browser.findElement(By.id("answer-submit")).click();

        waitUntil().until(() -> !"WAITING_FOR_INPUT".equals(shownStatus()) && browser.findElements(By.id("answer-form")).isEmpty());
        awaitApiStatus(id, "SUCCEEDED");
        JsonPath task = system.api().get("/api/v1/tasks/{id}", id).then().statusCode(200).extract().jsonPath();
        assertThat(task.getString("questions[0].question")).isEqualTo(QUESTION);
        assertThat(task.getString("questions[0].answer")).isEqualTo(answer);
        assertThat(task.getList("attempts")).hasSize(2);
        // The page follows the resumed attempt to its end and lists the answered question.
        waitUntil().until(() -> "SUCCEEDED".equals(shownStatus()) && text(By.id("questions")).contains(answer));
    }

    // ---------- helpers ----------

    /** Opens a view of the dashboard by its route, signing in first when the page asks. */
    private static void open(String route) {
        browser.get(system.stack.gatewayUrl() + "/ui/#" + route);
        if (browser.findElement(By.id("login")).isDisplayed()) {
            signInWith(system.stack.apiToken());
        }
        awaitShown(By.id("nav"));
    }

    private static void signInWith(String token) {
        WebElement input = browser.findElement(By.id("login-token"));
        input.clear();
        input.sendKeys(token);
        browser.findElement(By.id("login-submit")).click();
    }

    private static ConditionFactory waitUntil() {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
    }

    private static void awaitShown(By locator) {
        waitUntil().until(() -> browser.findElement(locator).isDisplayed());
    }

    private static String text(By locator) {
        return browser.findElement(locator).getText();
    }

    private static String currentHash() {
        return (String) ((JavascriptExecutor) browser).executeScript("return location.hash");
    }

    private static String shownStatus() {
        return browser.findElement(By.cssSelector("#task-status .badge")).getDomAttribute("data-status");
    }

    private static String rowStatus(UUID taskId) {
        return browser.findElement(By.cssSelector("tr[data-task-id='" + taskId + "'] .badge")).getDomAttribute("data-status");
    }

    private static String nodeStatus(String ref) {
        return browser.findElement(By.cssSelector("#workflow-graph g.node[data-ref='" + ref + "']")).getDomAttribute("data-status");
    }

    /** The text of the log lines shown, of one kind or (empty kind) all. */
    private static List<String> logLines(String kind) {
        String selector = kind.isEmpty() ? "#log .log-line" : "#log .log-line[data-kind='" + kind + "']";
        return browser.findElements(By.cssSelector(selector)).stream().map(WebElement::getText).toList();
    }

    private static UUID submit(Map<String, Object> body) {
        return UUID.fromString(system.api().body(body).post("/api/v1/tasks").then().statusCode(201).extract().path("id"));
    }

    private static void awaitApiStatus(UUID id, String status) {
        waitUntil().untilAsserted(() -> {
            JsonPath task = system.api().get("/api/v1/tasks/{id}", id).then().statusCode(200).extract().jsonPath();
            assertThat(task.getString("status")).as("status of %s (reason: %s)", id, task.getString("statusReason")).isEqualTo(status);
        });
    }
}
