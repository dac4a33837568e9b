package dev.taskq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.cli.client.ApiClient;
import dev.taskq.cli.command.AnswerCommand;
import dev.taskq.cli.command.CancelCommand;
import dev.taskq.cli.command.ListCommand;
import dev.taskq.cli.command.LogsCommand;
import dev.taskq.cli.command.ResumeCommand;
import dev.taskq.cli.command.RetryCommand;
import dev.taskq.cli.command.ScheduleCommand;
import dev.taskq.cli.command.StatusCommand;
import dev.taskq.cli.command.SubmitCommand;
import dev.taskq.cli.command.WorkersCommand;
import dev.taskq.cli.command.WorkflowCommand;
import dev.taskq.cli.config.ConnectionSettings;
import dev.taskq.cli.output.OutputFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code taskq} command: the options every subcommand shares, and where the subcommands find the API. */
@Command(name = "taskq",
        mixinStandardHelpOptions = true,
        versionProvider = TaskqCommand.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Submits and follows taskq tasks, workflows and schedules through the REST API.",
        subcommands = {
                SubmitCommand.class,
                StatusCommand.class,
                ListCommand.class,
                LogsCommand.class,
                AnswerCommand.class,
                CancelCommand.class,
                RetryCommand.class,
                ResumeCommand.class,
                WorkflowCommand.class,
                ScheduleCommand.class,
                WorkersCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nConfiguration:%n",
        footer = {
                "  The server and the token each come from the first of: the flag (--server, --token),",
                "  the environment (TASKQ_SERVER, TASKQ_TOKEN), the config file ($TASKQ_CONFIG, else",
                "  ~/.config/taskq/config.properties, with keys server= and token=). The server defaults",
                "  to " + ConnectionSettings.DEFAULT_SERVER + ". The token is never printed.",
                "",
                "  Ids are full UUIDs; --output json shows everything the API returned."})
public final class TaskqCommand implements Callable<Integer> {

    @Option(names = "--server", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The API's base URL (env TASKQ_SERVER; default " + ConnectionSettings.DEFAULT_SERVER + ").")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "The API token (env TASKQ_TOKEN). Prefer the environment or the config file: a flag shows in process lists.")
    String token;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT,
            description = "human (default) or json: the API's JSON, for scripts.")
    OutputFormat output = OutputFormat.HUMAN;

    @Spec
    CommandSpec spec;

    private final CliEnvironment environment;
    private final ObjectMapper json = new ObjectMapper();
    private ApiClient client;

    public TaskqCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Name a command; `taskq help` lists them.");
    }

    /** The API client for the settings this invocation resolved (flags, environment, config file). */
    public ApiClient client() {
        if (client == null) {
            client = new ApiClient(ConnectionSettings.resolve(server, token, environment), json);
        }
        return client;
    }

    public CliEnvironment environment() {
        return environment;
    }

    public OutputFormat output() {
        return output;
    }

    public ObjectMapper json() {
        return json;
    }

    /** The version the jar's manifest names. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TaskqCommand.class.getPackage().getImplementationVersion();
            return new String[] {"taskq " + (version == null ? "(development build)" : version)};
        }
    }
}
