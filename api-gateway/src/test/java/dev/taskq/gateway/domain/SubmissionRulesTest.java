package dev.taskq.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskq.common.domain.DependencyFailurePolicy;
import dev.taskq.common.domain.TaskKind;
import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.store.lifecycle.NewTask;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SubmissionRulesTest {

    private final SubmissionRules rules = new SubmissionRules(new TestConfig(50, 600), "reviewer"::equals, () -> Set.of("admin"));

    @Test
    void aMinimalDraftGetsEveryDefault() {
        NewTask task = rules.resolve(draft("do it", null, null, null, null));

        assertThat(task.priority()).isEqualTo(5);
        assertThat(task.pool()).isEqualTo("default");
        assertThat(task.timeoutSeconds()).isEqualTo(60);
        assertThat(task.maxAttempts()).isEqualTo(3);
        assertThat(task.dependsOn()).isEmpty();
        assertThat(task.metadata()).isEmpty();
    }

    @Test
    void priorityClassesAndNumericTextBecomeNumbers() {
        assertThat(rules.resolve(draft("p", "P0", null, null, null)).priority()).isEqualTo(10);
        assertThat(rules.resolve(draft("p", "p3", null, null, null)).priority()).isEqualTo(2);
        assertThat(rules.resolve(draft("p", "7", null, null, null)).priority()).isEqualTo(7);
    }

    @Test
    void theConfiguredLimitsApply() {
        assertThat(errorsOf(draft("x".repeat(51), null, null, null, null))).extracting(FieldError::field).containsExactly("prompt");
        assertThat(errorsOf(draft("p", null, 601, null, null))).extracting(FieldError::field).containsExactly("timeoutSeconds");
        assertThat(rules.resolve(draft("x".repeat(50), null, 600, null, null)).timeoutSeconds()).isEqualTo(600);
    }

    @Test
    void aRepeatedDependencyIsNamedByItsSecondPosition() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        assertThat(errorsOf(draft("p", null, null, List.of(a, b, a, b), null)))
                .extracting(FieldError::field)
                .containsExactly("dependsOn[2]", "dependsOn[3]");
    }

    @Test
    void aWorkingDirAndARepoAreCheckedAndMappedButNeverTogether() {
        NewTask withRepo = rules.resolve(withWorkspace(null, new TaskDraft.Repo("https://github.com/acme/app.git", "release/1.2")));
        assertThat(withRepo.repo()).isEqualTo(new NewTask.Repo("https://github.com/acme/app.git", "release/1.2"));
        assertThat(withRepo.workingDir()).isNull();
        assertThat(rules.resolve(withWorkspace(null, new TaskDraft.Repo("git@github.com:acme/app.git", null))).repo())
                .isEqualTo(new NewTask.Repo("git@github.com:acme/app.git", null));
        assertThat(rules.resolve(withWorkspace("/srv/app", null)).workingDir()).isEqualTo("/srv/app");

        assertThat(errorsOf(withWorkspace("/srv/app", new TaskDraft.Repo("https://github.com/acme/app.git", null))))
                .extracting(FieldError::field).containsExactly("repo");
        assertThat(errorsOf(withWorkspace(null, new TaskDraft.Repo(null, "main")))).extracting(FieldError::field)
                .containsExactly("repo.url");
        assertThat(errorsOf(withWorkspace("/etc", new TaskDraft.Repo("file:///srv/repo", "-x")))).extracting(FieldError::field)
                .containsExactlyInAnyOrder("workingDir", "repo", "repo.url", "repo.ref");
    }

    private static TaskDraft withWorkspace(String workingDir, TaskDraft.Repo repo) {
        return new TaskDraft("p", null, null, workingDir, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, repo, null, null, null, null);
    }

    @Test
    void everyBrokenRuleIsReportedAtOnce() {
        assertThat(errorsOf(new TaskDraft("x".repeat(51), "P7", null, "rel", 9999, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null)))
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("prompt", "priority", "timeoutSeconds", "workingDir");
    }

    private List<FieldError> errorsOf(TaskDraft draft) {
        try {
            rules.resolve(draft);
        } catch (InvalidRequestException e) {
            return e.errors();
        }
        throw new AssertionError("expected the draft to be rejected");
    }

    private static TaskDraft draft(String prompt, String priority, Integer timeout, List<UUID> dependsOn, String workingDir) {
        return new TaskDraft(prompt, priority, dependsOn, workingDir, timeout, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void aDraftThatBreaksNoRuleKeepsItsValues() {
        UUID dependency = UUID.randomUUID();
        NewTask task = rules.resolve(new TaskDraft("p", "P1", List.of(dependency), "/w", 30, 5, "m", "gpu", Map.of("k", "v"),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null));
        assertThat(task).isEqualTo(NewTask.basic("p", 8, List.of(dependency), "/w", 30, 5, "m", "gpu", Map.of("k", "v"), 3));
    }

    @Test
    void theFailurePolicyIsReadInAnyCaseAndDefaultsToFail() {
        assertThat(rules.resolve(withOptions("SKIP", null, null, null)).onDependencyFailure()).isEqualTo(DependencyFailurePolicy.SKIP);
        assertThat(rules.resolve(withOptions("run", null, null, null)).onDependencyFailure()).isEqualTo(DependencyFailurePolicy.RUN);
        assertThat(rules.resolve(withOptions(null, null, null, null)).dependencyFailurePolicy()).isEqualTo(DependencyFailurePolicy.FAIL);
        assertThat(errorsOf(withOptions("ignore", null, null, null))).extracting(FieldError::field).containsExactly("onDependencyFailure");
    }

    @Test
    void continueFromIsAddedToTheDependenciesWhenMissing() {
        UUID source = UUID.randomUUID();
        UUID other = UUID.randomUUID();

        NewTask added = rules.resolve(draft("p", null, null, List.of(other), null).withDependencies(List.of(other), source));
        NewTask listed = rules.resolve(draft("p", null, null, null, null).withDependencies(List.of(source, other), source));

        assertThat(added.dependsOn()).containsExactly(other, source);
        assertThat(added.continueFrom()).isEqualTo(source);
        assertThat(listed.dependsOn()).containsExactly(source, other);
    }

    @Test
    void aConcurrencyKeyMustBePrintableAndAtMost200Characters() {
        assertThat(rules.resolve(withOptions(null, "repo:acme/app", null, null)).concurrencyKey()).isEqualTo("repo:acme/app");
        for (String bad : List.of("", "   ", "k".repeat(201), "a\0b", "line\nbreak")) {
            assertThat(errorsOf(withOptions(null, bad, null, null))).as("'%s'", bad).extracting(FieldError::field)
                    .containsExactly("concurrencyKey");
        }
    }

    @Test
    void retrySettingsDefaultFieldByFieldAndStayInRange() {
        NewTask defaults = rules.resolve(withOptions(null, null, new TaskDraft.Retry(null, null, null, null), null));
        assertThat(defaults.maxAttempts()).isEqualTo(3);
        assertThat(defaults.retries()).isEqualTo(new NewTask.Retries(Duration.ofSeconds(10), Duration.ofSeconds(600), false));

        NewTask custom = rules.resolve(withOptions(null, null, new TaskDraft.Retry(5, 2, 60, true), null));
        assertThat(custom.maxAttempts()).isEqualTo(5);
        assertThat(custom.retries()).isEqualTo(new NewTask.Retries(Duration.ofSeconds(2), Duration.ofSeconds(60), true));

        NewTask longFirstWait = rules.resolve(withOptions(null, null, new TaskDraft.Retry(null, 1200, null, null), null));
        assertThat(longFirstWait.retries().maxBackoff()).as("the default cap rises to the first wait").isEqualTo(Duration.ofSeconds(1200));

        assertThat(rules.resolve(withOptions(null, null, null, null)).retries()).as("no retry object: the store's default").isNull();
    }

    @Test
    void everyRetrySettingOutOfRangeIsNamed() {
        assertThat(errorsOf(withOptions(null, null, new TaskDraft.Retry(21, 3601, 86401, null), null)))
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("retry.maxAttempts", "retry.initialBackoffSeconds", "retry.maxBackoffSeconds");
        assertThat(errorsOf(withOptions(null, null, new TaskDraft.Retry(0, -1, null, null), null)))
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("retry.maxAttempts", "retry.initialBackoffSeconds");
        assertThat(errorsOf(withOptions(null, null, new TaskDraft.Retry(null, 30, 20, null), null)))
                .singleElement()
                .satisfies(error -> assertThat(error.message()).contains("at least initialBackoffSeconds (30)"));
    }

    @Test
    void thePermissionModeIsReadInAnyCaseAndSpelledAsTheCliWantsIt() {
        assertThat(rules.resolve(withPermissionMode("ACCEPTEDITS")).permissionMode()).isEqualTo("acceptEdits");
        assertThat(rules.resolve(withPermissionMode(" plan ")).permissionMode()).isEqualTo("plan");
        assertThat(rules.resolve(withPermissionMode(null)).permissionMode()).isNull();
        assertThat(errorsOf(withPermissionMode("yolo"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("permissionMode");
            assertThat(error.message()).contains("acceptEdits", "bypassPermissions", "got 'yolo'");
        });
    }

    private static TaskDraft withPermissionMode(String mode) {
        return new TaskDraft("p", null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, mode, null, null, null, null, null);
    }

    private static TaskDraft withOptions(String policy, String concurrencyKey, TaskDraft.Retry retry, UUID continueFrom) {
        return new TaskDraft("p", null, null, null, null, null, null, null, null, policy, continueFrom, concurrencyKey, retry,
                null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void aCommandTaskKeepsItsArgvAndGetsItsCommandLineAsPrompt() {
        NewTask task = rules.resolve(command(null, List.of("npm", "run", "build"), null, null));

        assertThat(task.kind()).isEqualTo(TaskKind.COMMAND);
        assertThat(task.command()).isEqualTo(new NewTask.Command(List.of("npm", "run", "build"), false));
        assertThat(task.prompt()).isEqualTo("npm run build");
        assertThat(rules.resolve(command("Build the app", List.of("/usr/bin/make"), null, null)).prompt()).isEqualTo("Build the app");
        assertThat(rules.resolve(command(null, null, "make && make check", "trusted")).command())
                .isEqualTo(new NewTask.Command(List.of("make && make check"), true));
    }

    @Test
    void aCommandOutsideThePoolsAllowlistIsRefusedNamingTheFieldAndTheRule() {
        assertThatThrownBy(() -> rules.resolve(command(null, List.of("rm", "-rf", "/"), null, null)))
                .isInstanceOfSatisfying(TaskNotAllowedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(TaskNotAllowedException.Reason.COMMAND_NOT_ALLOWED);
                    assertThat(e.errors()).singleElement().satisfies(error -> {
                        assertThat(error.field()).isEqualTo("command[0]");
                        assertThat(error.message()).isEqualTo("'rm' is not an allowed executable in pool 'default'; allowed: "
                                + "npm, /usr/bin/make (taskq.api.command-tasks.allowed-executables.default)");
                    });
                });
        assertThat(errorsOf(command(null, List.of("./npm"), null, null))).extracting(FieldError::field).containsExactly("command[0]");
        assertThat(errorsOf(command(null, List.of("make"), null, null))).extracting(FieldError::field).containsExactly("command[0]");
        assertThat(errorsOf(command(null, null, "npm test", null))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("shell");
            assertThat(error.message()).contains("(taskq.api.command-tasks.shell-pools)");
        });
    }

    @Test
    void aMalformedCommandIsABadRequestNamingEachElement() {
        assertThatThrownBy(() -> rules.resolve(command(null, Arrays.asList("npm", null, "x\0y"), null, null)))
                .isNotInstanceOf(TaskNotAllowedException.class)
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("command[1]", "command[2]"));
        assertThat(errorsOf(command(null, List.of(), null, null))).extracting(FieldError::field).containsExactly("command");
        assertThat(errorsOf(new TaskDraft(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, "command", null, null, null))).extracting(FieldError::field).containsExactly("command");
        assertThat(errorsOf(new TaskDraft(null, null, null, null, null, 5, "m", null, null, null, null, null, null, null,
                List.of("Edit"), null, null, null, null, "command", new TaskDraft.Command(List.of("npm"), null), null, "coder")))
                .extracting(FieldError::field).containsExactlyInAnyOrder("maxTurns", "model", "allowedTools", "agent");
        assertThat(errorsOf(new TaskDraft("p", null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, "script", null, null, null))).extracting(FieldError::field).containsExactly("kind");
        assertThat(errorsOf(new TaskDraft("p", null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, new TaskDraft.Command(List.of("npm"), null), true, null)))
                .extracting(FieldError::field).containsExactly("command", "shell");
    }

    @Test
    void onlyCallersWithASubmitterRoleMaySubmitCommandTasks() {
        SubmissionRules viewerRules = new SubmissionRules(new TestConfig(50, 600), "reviewer"::equals, () -> Set.of("viewer"));

        assertThatThrownBy(() -> viewerRules.resolve(command(null, List.of("npm", "test"), null, null)))
                .isInstanceOf(CommandTasksForbiddenException.class)
                .hasMessageContaining("admin, submitter").hasMessageContaining("taskq.api.command-tasks.submitter-roles");
        assertThat(viewerRules.resolve(draft("p", null, null, null, null)).kind()).isEqualTo(TaskKind.CLAUDE);
    }

    @Test
    void anAgentRoleMustExistAndAnUnknownOneIsRefusedNamingAgent() {
        NewTask task = rules.resolve(new TaskDraft("review it", null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, "reviewer"));
        assertThat(task.agent()).isEqualTo("reviewer");
        assertThatThrownBy(() -> rules.resolve(new TaskDraft("p", null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, "claude", null, null, "critic")))
                .isInstanceOfSatisfying(TaskNotAllowedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(TaskNotAllowedException.Reason.UNKNOWN_AGENT_ROLE);
                    assertThat(e.errors()).extracting(FieldError::field).containsExactly("agent");
                });
    }

    private static TaskDraft command(String prompt, List<String> argv, String line, String pool) {
        return new TaskDraft(prompt, null, null, null, null, null, null, pool, null, null, null, null, null, null, null, null,
                null, null, null, "command", new TaskDraft.Command(argv, line), line != null, null);
    }

    @Test
    void rejectionThrowsAnExceptionNamingTheField() {
        assertThatThrownBy(() -> rules.resolve(draft("p", "P9", null, null, null)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("priority");
    }

    /** Configuration as application.properties would give it, with small limits. */
    private record TestConfig(int maxPromptChars, int maxTimeoutSeconds) implements GatewayConfig {
        @Override
        public Optional<List<String>> tokens() {
            return Optional.of(List.of("t"));
        }

        @Override
        public Notifications notifications() {
            return new Notifications() {
                @Override
                public boolean allowInsecureUrls() {
                    return false;
                }

                @Override
                public boolean allowPrivateAddresses() {
                    return false;
                }
            };
        }

        // API keys and their limits are not submission rules.
        @Override
        public Keys keys() {
            return null;
        }

        @Override
        public Limits limits() {
            return null;
        }

        @Override
        public Schedules schedules() {
            return new Schedules() {
                @Override
                public int defaultMaxCatchup() {
                    return 10;
                }

                @Override
                public int maxCatchupLimit() {
                    return 1000;
                }

                @Override
                public int maxPipelineSteps() {
                    return 50;
                }
            };
        }

        @Override
        public Hooks hooks() {
            return new Hooks() {
                @Override
                public Duration recentWindow() {
                    return Duration.ofHours(24);
                }

                @Override
                public int maxTasks() {
                    return 8;
                }

                @Override
                public int maxChars() {
                    return 3000;
                }

                @Override
                public int maxBoundConnections() {
                    return 10_000;
                }
            };
        }

        @Override
        public Workflows workflows() {
            return new Workflows() {
                @Override
                public int maxTasks() {
                    return 10_000;
                }

                @Override
                public int maxDependencies() {
                    return 100_000;
                }
            };
        }

        @Override
        public Idempotency idempotency() {
            return new Idempotency() {
                @Override
                public Duration retention() {
                    return Duration.ofHours(24);
                }

                @Override
                public Duration cleanupInterval() {
                    return Duration.ofMinutes(10);
                }
            };
        }

        @Override
        public Workers workers() {
            return new Workers() {
                @Override
                public Duration liveness() {
                    return Duration.ofSeconds(30);
                }

                @Override
                public Duration releaseLiveness() {
                    return Duration.ofSeconds(10);
                }
            };
        }

        @Override
        public Submission submission() {
            return new Submission() {
                @Override
                public int maxPromptChars() {
                    return maxPromptChars;
                }

                @Override
                public int defaultTimeoutSeconds() {
                    return 60;
                }

                @Override
                public int maxTimeoutSeconds() {
                    return maxTimeoutSeconds;
                }

                @Override
                public int maxAttempts() {
                    return 3;
                }

                @Override
                public String defaultPool() {
                    return "default";
                }
            };
        }

        @Override
        public Workspaces workspaces() {
            return new Workspaces() {
                @Override
                public List<String> allowedRoots() {
                    return List.of("/srv", "/w/");
                }

                @Override
                public boolean allowLocalRepos() {
                    return false;
                }
            };
        }

        @Override
        public Map<String, ConfiguredAgentRole> agentRoles() {
            return Map.of();
        }

        @Override
        public CommandTasks commandTasks() {
            return new CommandTasks() {
                @Override
                public boolean enabled() {
                    return true;
                }

                @Override
                public Map<String, List<String>> allowedExecutables() {
                    return Map.of("default", List.of("npm", "/usr/bin/make"));
                }

                @Override
                public Optional<List<String>> shellPools() {
                    return Optional.of(List.of("trusted"));
                }

                @Override
                public List<String> submitterRoles() {
                    return List.of("admin", "submitter");
                }
            };
        }

        @Override
        public Logs logs() {
            return new Logs() {
                @Override
                public Duration streamPollInterval() {
                    return Duration.ofMillis(250);
                }

                @Override
                public int streamBatchSize() {
                    return 500;
                }

                @Override
                public Duration streamKeepAlive() {
                    return Duration.ofSeconds(15);
                }
            };
        }
    }
}
